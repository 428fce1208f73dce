from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import tzinfo

from babel import Locale
from flask import Flask

class Babel:
    def __init__(
        self,
        app: Flask | None = None,
        date_formats: dict[str, str | None] | None = None,
        configure_jinja: bool = True,
        *args: object,  # with an app: passed on to init_app
        **kwargs: object,
    ) -> None: ...
    def init_app(
        self,
        app: Flask,
        default_locale: str = "en",
        default_domain: str = "messages",
        default_translation_directories: str = "translations",
        default_timezone: str = "UTC",
        locale_selector: Callable[[], str | Locale | None] | None = None,
        timezone_selector: Callable[[], str | tzinfo | None] | None = None,
    ) -> None: ...

def get_locale() -> Locale | None: ...
def force_locale(locale: str | Locale) -> AbstractContextManager[None]: ...
def gettext(string: str, **variables: object) -> str: ...

# The real return value is a LazyString, translated each time it is turned into text; it
# passes every str method on to that text, and WTForms and Flask take it wherever they take
# a str (labels, validator messages, flash messages). Typed as str so those uses are checked;
# the one thing that differs, isinstance(value, str), is never asked of it in campaign/.
def lazy_gettext(string: str, **variables: object) -> str: ...
