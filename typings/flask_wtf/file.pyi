from werkzeug.datastructures import FileStorage
from wtforms import FileField as _FileField
from wtforms.validators import DataRequired

class FileField(_FileField):
    # The uploaded file, or None when none was sent.
    data: FileStorage | None

class FileRequired(DataRequired): ...
