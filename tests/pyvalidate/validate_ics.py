"""Reads an iCalendar file with the icalendar library: the calendar and each VEVENT must parse
with no property the library could not read (it keeps those in `errors`), every VEVENT needs UID,
DTSTAMP, DTSTART and SUMMARY, its UID is its own, and DTEND comes after DTSTART. Prints as JSON
the calendar's VERSION and PRODID and each event's UID, SUMMARY, DTSTART and DTEND (ISO 8601, a
date for an all-day event); exits non-zero with the problems otherwise."""

import json
import sys

from icalendar import Calendar


def main(path):
    with open(path, "rb") as file:
        calendar = Calendar.from_ical(file.read())
    problems = []
    if calendar.name != "VCALENDAR":
        problems.append(f"the file is a {calendar.name}, not a VCALENDAR")
    for component in calendar.walk():
        for prop, error in getattr(component, "errors", []):
            problems.append(f"{component.name}: {prop} could not be read: {error}")
    events = []
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("UID"))
        for required in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
            if required not in event:
                problems.append(f"VEVENT {uid} lacks {required}")
        start = event.decoded("DTSTART") if "DTSTART" in event else None
        end = event.decoded("DTEND") if "DTEND" in event else None
        if start is not None and end is not None and type(start) is type(end) and not end > start:
            problems.append(f"VEVENT {uid} ends ({end}) before it starts ({start})")
        events.append({
            "uid": uid,
            "summary": str(event.get("SUMMARY")),
            "start": start.isoformat() if start is not None else None,
            "end": end.isoformat() if end is not None else None,
        })
    uids = [event["uid"] for event in events]
    if len(set(uids)) != len(uids):
        problems.append("a UID is used by two events")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        sys.exit(1)
    print(json.dumps({
        "version": str(calendar.get("VERSION")),
        "prodid": str(calendar.get("PRODID")),
        "events": events,
    }))


if __name__ == "__main__":
    main(sys.argv[1])
