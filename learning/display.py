"""Text size and contrast chosen on this device.

The choice lives in a cookie on this device only: no account needed, nothing on a profile.
The server reads it and puts classes on <html>, so the page is right from the first paint,
with or without JavaScript.
"""

DISPLAY_COOKIE = "weergave"
TEXT_SIZES = ("normaal", "groot", "extra-groot")
CONTRASTS = ("normaal", "hoog")


def display_choice(request) -> tuple[str, str]:
    raw = request.COOKIES.get(DISPLAY_COOKIE, "")
    size, _sep, contrast = raw.partition(",")
    return (
        size if size in TEXT_SIZES else "normaal",
        contrast if contrast in CONTRASTS else "normaal",
    )


def display_classes(request) -> str:
    size, contrast = display_choice(request)
    classes = []
    if size != "normaal":
        classes.append(f"tekst-{size}")
    if contrast == "hoog":
        classes.append("contrast-hoog")
    return " ".join(classes)
