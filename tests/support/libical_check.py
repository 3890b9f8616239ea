"""libical's restriction check (RFC 5545/5546 rules per METHOD) on iCalendar text.

Run by Debian's Python, which has PyGObject and libical's GObject bindings (setup.sh
installs python3-gi and gir1.2-ical-3.0); the project's venv has neither. Reads the
calendar on stdin and prints JSON: ``{"parsed": bool, "ok": bool, "errors": [...]}``,
where errors are libical's X-LIC-ERROR texts (parse errors and broken restrictions).

    /usr/bin/python3 tests/support/libical_check.py < feed.ics
"""

import json
import sys

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib  # noqa: E402


def _errors(component, out):
    prop = component.get_first_property(ICalGLib.PropertyKind.XLICERROR_PROPERTY)
    while prop is not None:
        out.append(prop.get_xlicerror())
        prop = component.get_next_property(ICalGLib.PropertyKind.XLICERROR_PROPERTY)
    child = component.get_first_component(ICalGLib.ComponentKind.ANY_COMPONENT)
    while child is not None:
        _errors(child, out)
        child = component.get_next_component(ICalGLib.ComponentKind.ANY_COMPONENT)
    return out


def main():
    text = sys.stdin.read()
    component = ICalGLib.Component.new_from_string(text)
    if component is None:
        print(json.dumps({"parsed": False, "ok": False, "errors": ["not parsed"]}))
        return
    errors_before = _errors(component, [])
    ok = bool(ICalGLib.restriction_check(component))
    errors = _errors(component, [])
    print(json.dumps({"parsed": True, "ok": ok and not errors, "errors": errors or errors_before}))


if __name__ == "__main__":
    main()
