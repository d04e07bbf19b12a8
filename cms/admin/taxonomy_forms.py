"""Forms for authors and tags."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, Length, Optional


class AuthorForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=191)])
    slug = StringField("Slug", validators=[Optional(), Length(max=180)], description="Leave empty to derive.")
    bio = TextAreaField("Bio", validators=[Optional(), Length(max=20_000)])
    avatar_url = URLField("Avatar URL", validators=[Optional(), URL(), Length(max=2000)])
    cover_image_url = URLField("Cover image URL", validators=[Optional(), URL(), Length(max=2000)])
    website = URLField("Website", validators=[Optional(), URL(), Length(max=2000)])
    location = StringField("Location", validators=[Optional(), Length(max=191)])


class TagForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=191)])
    slug = StringField("Slug", validators=[Optional(), Length(max=180)], description="Leave empty to derive.")
    description = TextAreaField("Description", validators=[Optional(), Length(max=20_000)])


def form_values(form: FlaskForm) -> dict[str, object]:
    """Submitted values, empty strings as None, without the CSRF token; an empty slug means derive."""
    values = {name: (f.data or None) for name, f in form._fields.items() if name != "csrf_token"}
    if not values.get("slug"):
        values.pop("slug", None)
    return values
