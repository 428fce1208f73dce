from typing import TypeVar

from flask import Flask
from werkzeug.exceptions import BadRequest

_Exempt = TypeVar("_Exempt")

class CSRFError(BadRequest): ...

class CSRFProtect:
    def __init__(self, app: Flask | None = None) -> None: ...
    def init_app(self, app: Flask) -> None: ...
    # A blueprint, a view function or a view's dotted name; returned unchanged.
    def exempt(self, view: _Exempt) -> _Exempt: ...
