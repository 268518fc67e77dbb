"""The admin's image upload form: SVG drawings only when they are plain drawings."""

from django import forms
from wagtail.images.forms import BaseImageForm

from courses.svg import svg_problems


class ImageForm(BaseImageForm):
    """Used for every image upload (WAGTAILIMAGES_IMAGE_FORM_BASE), single and multiple."""

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file and getattr(file, "name", "").lower().endswith(".svg"):
            position = file.tell()
            file.seek(0)
            problems = svg_problems(file.read())
            file.seek(position)
            if problems:
                raise forms.ValidationError(problems)
        return file
