"""A staff member's time zone: schedules are typed and times shown in it; the database keeps UTC."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from cms.admin import admin
from cms.admin.access import staff_required
from cms.admin.article_forms import now_local
from cms.extensions import db


@cache
def zone_names() -> tuple[str, ...]:
    """Every IANA zone this machine knows, UTC first."""
    return ("UTC", *sorted(name for name in available_timezones() if name != "UTC"))


class TimeZoneForm(FlaskForm):
    timezone = SelectField("Time zone", description="Where you are; used for scheduling and dates.")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = [SelectChoice(name, name.replace("_", " ")) for name in zone_names()]


@admin.route("/time-zone", methods=["GET", "POST"])
@staff_required
def time_zone() -> str | Response:
    form = TimeZoneForm(data={"timezone": current_user.timezone})
    if form.validate_on_submit():
        current_user.timezone = form.timezone.data
        db.session.commit()
        flash(f"Times are now shown in {current_user.timezone}.", "success")
        return redirect(url_for("admin.dashboard"))
    return render_template("admin/time_zone.html", form=form, now=now_local(current_user.timezone))
