"""Flask extensions, created unbound and bound to the app in `create_app`."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TypeAlias

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, Table
from sqlalchemy.orm import DeclarativeBase

# A naming convention keeps constraint names stable, so Alembic can drop and alter them on
# every backend (SQLite batch mode needs names).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    if TYPE_CHECKING:
        # DeclarativeBase types it as any FROM clause; every model here has a __tablename__,
        # so its __table__ is a Table (with insert() and delete()).
        __table__: ClassVar[Table]


db = SQLAlchemy(model_class=Base)

# The base of every model: `class Event(Model)`. At run time it is db.Model, which
# flask-sqlalchemy builds from Base's body (the same metadata and registry). mypy takes no
# attribute of an instance as a base class (`class Event(db.Model)` fails the check), so to it
# the base is Base itself.
if TYPE_CHECKING:
    Model: TypeAlias = Base
else:
    Model = db.Model

migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
