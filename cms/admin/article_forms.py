"""The article editor form and the list filters."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Length, Optional

from cms.db import utcnow

#: The editor's submit buttons, by the value of their ``name="action"``.
ACTIONS = ("save", "preview", "publish", "schedule", "unpublish")


class ArticleForm(FlaskForm):
    version = HiddenField()
    title = StringField("Title", validators=[DataRequired(), Length(max=255)])
    slug = StringField("Slug", validators=[Optional(), Length(max=180)], description="Leave empty to derive.")
    excerpt = TextAreaField("Excerpt", validators=[Optional(), Length(max=5000)])
    markdown = TextAreaField("Body (Markdown)", validators=[Length(max=1_000_000)])
    tags = StringField(
        "Tags", validators=[Length(max=2000)], description="Comma-separated, first is primary."
    )
    authors = StringField(
        "Authors",
        validators=[Length(max=2000)],
        description="Author slugs, comma-separated, in byline order.",
    )
    language = StringField("Language", validators=[DataRequired(), Length(min=2, max=35)], default="en")
    featured = BooleanField("Featured")
    comments_enabled = BooleanField("Comments on", default=True)
    feature_image_url = URLField("Feature image URL", validators=[Optional(), URL(), Length(max=2000)])
    feature_image_alt = StringField("Feature image alt text", validators=[Optional(), Length(max=191)])
    feature_image_caption = StringField("Feature image caption", validators=[Optional(), Length(max=2000)])
    meta_title = StringField("Meta title", validators=[Optional(), Length(max=300)])
    meta_description = TextAreaField("Meta description", validators=[Optional(), Length(max=500)])
    publish_at = DateTimeLocalField(
        "Publish at", format="%Y-%m-%dT%H:%M", validators=[Optional()], description="In your time zone."
    )

    def changes(self) -> dict[str, object]:
        """The form as editing-service input."""
        return {
            "title": self.title.data.strip(),
            **({"slug": self.slug.data.strip()} if self.slug.data and self.slug.data.strip() else {}),
            "excerpt": self.excerpt.data or None,
            "markdown": (self.markdown.data or "").replace("\r\n", "\n"),
            "tags": split_list(self.tags.data),
            "authors": split_list(self.authors.data),
            "language": self.language.data.strip(),
            "featured": bool(self.featured.data),
            "comments_enabled": bool(self.comments_enabled.data),
            "feature_image_url": self.feature_image_url.data or None,
            "feature_image_alt": self.feature_image_alt.data or None,
            "feature_image_caption": self.feature_image_caption.data or None,
            "meta_title": self.meta_title.data or None,
            "meta_description": self.meta_description.data or None,
        }


class ArticleFilters(FlaskForm):
    class Meta:
        csrf = False

    q = SearchField("Search", validators=[Optional(), Length(max=200)])
    status = SelectField(
        "Status",
        choices=[
            SelectChoice(value, label)
            for value, label in (
                ("", "Any"), ("draft", "Draft"), ("scheduled", "Scheduled"), ("published", "Published"),
                ("trash", "Trash"),
            )
        ],
        validators=[Optional()],
    )  # fmt: skip
    author = StringField("Author slug", validators=[Optional(), Length(max=191)])
    tag = StringField("Tag slug", validators=[Optional(), Length(max=191)])
    page = IntegerField(default=1, validators=[Optional()])


def split_list(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def to_utc(local: datetime, zone_name: str | None) -> datetime:
    """A wall-clock time the staff member typed, in their zone, as an aware UTC datetime."""
    return local.replace(tzinfo=zone(zone_name)).astimezone(ZoneInfo("UTC"))


def to_local(moment: datetime | None, zone_name: str | None) -> datetime | None:
    return moment.astimezone(zone(zone_name)) if moment else None


def now_local(zone_name: str | None) -> datetime:
    return utcnow().astimezone(zone(zone_name))
