"""Requests are checked against the very schemas the OpenAPI document publishes (inputs.py).

A body or search the document refuses is refused here (422), every bad field named; one it accepts
then goes to the shared parser, whose messages are the ones people read where both speak of a
field. So the document and the API cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from portal.errors import ValidationFailed
from portal.i18n import lazy_gettext as _l

_FORMATS = FormatChecker(["date"])
_WHOLE = re.compile(r"-?[0-9]{1,9}")
MAX_NAMED = 20  # unknown fields named in one answer


def body_errors(data: Any, name: str, components: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Every way ``data`` breaks the component schema ``name``, by field (``offer.type``, ``recruiters.0``)."""
    root = {**components[name], "components": {"schemas": dict(components)}}
    return _collect(Draft202012Validator(root, format_checker=_FORMATS).iter_errors(data))


def query_errors(args: Mapping[str, str], parameters: list[tuple[str, dict[str, Any], str]]) -> dict[str, list[Any]]:
    """Every query parameter that breaks its schema; a whole number is read as one (a query has only text)."""
    found: dict[str, list[Any]] = {}
    for name, schema, _description in parameters:
        if name in args:
            raw = args[name]
            value: Any = int(raw) if _WHOLE.fullmatch(raw) and "integer" in _types(schema) else raw
            errors = _collect(Draft202012Validator(schema, format_checker=_FORMATS).iter_errors(value))
            for field, messages in errors.items():
                found.setdefault(f"{name}.{field}" if field else name, []).extend(messages)
    return found


def check(errors: dict[str, list[Any]], parse: Callable[[], object]) -> None:
    """Raise ValidationFailed if the document refused anything, with the parser's words where it has some."""
    if not errors:
        return
    try:
        parse()
    except ValidationFailed as failed:
        errors = {**errors, **failed.fields}
    raise ValidationFailed(fields=errors)


def _types(schema: Mapping[str, Any]) -> list[str]:
    kind = schema.get("type", [])
    return kind if isinstance(kind, list) else [kind]


def _collect(errors: Iterator[ValidationError]) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for error in errors:
        for field, message in _explain(error):
            messages = found.setdefault(field, [])
            if str(message) not in map(str, messages):
                messages.append(message)
    return found


def _explain(error: ValidationError) -> list[tuple[str, Any]]:
    """(field, message) pairs for one schema error, in the words of the portal's forms."""
    parts = list(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    if parts and isinstance(parts[-1], int) and "object" not in _types(schema):
        parts.pop()  # a bad item of a list of words or codes: the list is the field, as the forms say
    path = ".".join(str(part) for part in parts)
    prefix = f"{path}." if path else ""
    kind, instance = error.validator, error.instance
    if kind == "additionalProperties" and isinstance(instance, dict):
        unknown = sorted(str(key) for key in instance if key not in schema.get("properties", {}))
        return [(prefix + key[:60], _l("This field is not part of the API.")) for key in unknown[:MAX_NAMED]]
    if kind == "required" and isinstance(instance, dict):
        required: list[str] = list(_value(error))
        return [(prefix + key, _l("This field is required.")) for key in required if key not in instance]
    if kind in ("anyOf", "oneOf"):
        return _alternatives(error, path, prefix)
    return [(path, _message(error))]


def _alternatives(error: ValidationError, path: str, prefix: str) -> list[tuple[str, Any]]:
    """What to say when no alternative fits: at the top, "give one of"; below, the errors of the
    alternative the value meant (its ``const`` matches, as a recruiter's ``kind``), else of the ones
    whose type fits."""
    branches: list[dict[str, Any]] = list(_value(error))
    if not path:
        first = next((branch["required"][0] for branch in branches if branch.get("required")), "")
        if first:
            return [(first, _l("Give at least one of the fields the API document lists for this."))]
    by_branch: dict[int, list[ValidationError]] = {}
    for sub in error.context or ():
        by_branch.setdefault(int(sub.relative_schema_path[0]), []).append(sub)
    fitting = {
        index: errors
        for index, errors in by_branch.items()
        if not any(sub.validator == "type" and not sub.relative_path for sub in errors)
    }
    if not fitting:
        expected = [_value(sub) for errors in by_branch.values() for sub in errors if sub.validator == "type"]
        kinds = [str(kind) for value in expected for kind in (value if isinstance(value, list) else [value])]
        return [(path, _l("Send a value of JSON type %(types)s.", types=" or ".join(dict.fromkeys(kinds))))]
    instance = error.instance if isinstance(error.instance, dict) else {}
    tags = {index: _consts(branches[index]) for index in fitting}
    meant = [index for index, consts in tags.items() if consts and all(instance.get(k) == v for k, v in consts.items())]
    if meant:
        return [pair for sub in fitting[meant[0]] for pair in _explain(sub)]
    if any(tags.values()):
        names = sorted({name for consts in tags.values() for name in consts})
        return [(prefix + name, _l("Choose one of the listed options.")) for name in names]
    return [pair for sub in min(fitting.values(), key=len) for pair in _explain(sub)]


def _value(error: ValidationError) -> Any:
    """The value of the keyword that failed (``required``'s names, ``anyOf``'s branches, ``type``'s types)."""
    return error.validator_value


def _consts(schema: dict[str, Any]) -> dict[str, Any]:
    return {name: rule["const"] for name, rule in schema.get("properties", {}).items() if "const" in rule}


def _message(error: ValidationError) -> Any:
    kind, schema = error.validator, error.schema if isinstance(error.schema, dict) else {}
    if kind == "type":
        return _l("Send a value of JSON type %(types)s.", types=" or ".join(_types(schema)))
    if kind in ("enum", "const"):
        return _l("Choose one of the listed options.")
    if kind == "maxLength":
        return _l("Use at most %(n)d characters.", n=schema["maxLength"])
    if kind in ("minimum", "maximum") and "minimum" in schema and "maximum" in schema:
        return _l("Enter a whole number from %(low)d to %(high)d.", low=schema["minimum"], high=schema["maximum"])
    if kind == "maxItems":
        return _l("Give at most %(n)d items.", n=schema["maxItems"])
    return _l("This value is not in the form the API document describes.")
