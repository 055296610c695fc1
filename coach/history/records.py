"""`NamedTuple` for the history's records, without importing `typing` when the coach runs.

`coach history` reads ten years of sessions in a few tens of milliseconds, and `typing` took two of them:
it was imported only to declare these records. For mypy they are `typing.NamedTuple`; at run time the same
class statement makes a `collections.namedtuple` of the annotated fields, with their defaults, and the
class's own methods, properties and docstring on it.
"""

from __future__ import annotations

TYPE_CHECKING = False  # `typing.TYPE_CHECKING` without importing typing: mypy takes any name so spelled as true
if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    from collections import namedtuple

    class _Record(type):
        def __new__(cls, name, bases, namespace):  # untyped: mypy reads typing.NamedTuple above
            fields = tuple(namespace.get("__annotations__", {}))
            defaults = [namespace[field] for field in fields if field in namespace]
            record = namedtuple(name, fields, defaults=defaults, module=namespace["__module__"])
            for key, value in namespace.items():
                if key not in fields and key not in {"__module__", "__qualname__", "__annotations__"}:
                    setattr(record, key, value)
            return record

    NamedTuple = type.__new__(_Record, "NamedTuple", (), {})
