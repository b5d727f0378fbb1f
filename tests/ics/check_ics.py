#!/usr/bin/env python3
"""Validate an iCalendar (RFC 5545) file written by jiangtang and summarise it.

Usage:  python3 tests/ics/check_ics.py FILE.ics [--no-expand]

Prints a JSON summary on stdout:

  {"file": ..., "ok": true|false, "problems": [...],
   "calendar": {"prodid", "version", "calscale", "method", "name", "timezone",
                "vtimezones": [tzid, ...]},
   "events": [{"uid", "recurrence_id" (null but for one session of a series), "summary", "dtstart": {"value", "tzid"},
               "dtend": {"value", "tzid"} | null, "dtstamp", "status", "sequence",
               "categories", "location", "url", "description", "rrule", "exdates": [...],
               "occurrences": N | null}, ...]}

"occurrences" is the number of instances after EXDATEs, from the
`recurring-ical-events` package when it is installed (null otherwise, or with
--no-expand); 1 for a non-recurring event.

Exit status: 0 valid; 1 problems found (raw format: a line longer than
75 octets, a line ending other than CRLF, invalid UTF-8, a BOM, ...;
or the `icalendar` parser's errors; or structural checks below); 2 the file
cannot be read or the arguments are wrong; 3 the `icalendar` package is missing.

Structural checks: VERSION 2.0 and PRODID present; every VEVENT has UID,
DTSTAMP (in UTC) and DTSTART; UIDs are unique (a session of a series, with
RECURRENCE-ID, shares its series' UID and follows it); every TZID used has a
VTIMEZONE; with a TZID on DTSTART, RRULE UNTIL is in UTC (RFC 5545 3.3.10);
DTEND is after DTSTART; EXDATE carries the same TZID as DTSTART.
"""

import json
import re
import sys

MAX_OCTETS = 75


def raw_problems(data):
    """Problems in the octets themselves, before any parsing."""
    problems = []
    if not data:
        return ["file is empty"]
    if data.startswith(b"\xef\xbb\xbf"):
        problems.append("file starts with a UTF-8 byte order mark")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        problems.append(f"invalid UTF-8 at byte {e.start}")
    if not data.endswith(b"\r\n"):
        problems.append("file does not end with CRLF")
    # Split on CRLF only; any other CR or LF left over is a bad line ending.
    lines = data.split(b"\r\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for n, line in enumerate(lines, 1):
        if b"\n" in line:
            problems.append(f"line {n}: bare LF (line endings must be CRLF)")
        if b"\r" in line:
            problems.append(f"line {n}: bare CR (line endings must be CRLF)")
        if len(line) > MAX_OCTETS:
            problems.append(f"line {n}: {len(line)} octets, more than {MAX_OCTETS}")
        if n == 1 and line[:1] in (b" ", b"\t"):
            problems.append("line 1: starts with whitespace")
        if line[1:2] and line[:1] == b" " and 0x80 <= line[1] < 0xC0:
            problems.append(f"line {n}: folded inside a UTF-8 character")
        if line[-1:] and line[-1] >= 0xC0:
            problems.append(f"line {n}: ends with the first byte of a UTF-8 character")
        if line == b"":
            problems.append(f"line {n}: empty line")
    if lines and lines[0] != b"BEGIN:VCALENDAR":
        problems.append("first line is not BEGIN:VCALENDAR")
    if lines and lines[-1] != b"END:VCALENDAR":
        problems.append("last line is not END:VCALENDAR")
    return problems


def fmt_dt(value):
    """A date/datetime as ISO text."""
    if value is None:
        return None
    return value.isoformat()


def prop_tzid(prop):
    if prop is None:
        return None
    params = getattr(prop, "params", {}) or {}
    return params.get("TZID")


def exdate_values(component):
    """EXDATE may be one vDDDLists or a list of them."""
    ex = component.get("EXDATE")
    if ex is None:
        return [], []
    items = ex if isinstance(ex, list) else [ex]
    values, tzids = [], []
    for item in items:
        tzids.append(prop_tzid(item))
        for d in getattr(item, "dts", []):
            values.append(fmt_dt(d.dt))
    return values, tzids


def rrule_text(component):
    rr = component.get("RRULE")
    if rr is None:
        return None
    text = rr.to_ical()
    return text.decode("utf-8") if isinstance(text, bytes) else str(text)


def raw_event_rrules(text):
    """Each VEVENT's RRULE value as written (unfolded), keyed by UID."""
    unfolded = re.sub(r"\r\n[ \t]", "", text)
    rules, uid, rrule, depth = {}, None, None, 0
    for line in unfolded.split("\r\n"):
        if line == "BEGIN:VEVENT":
            uid, rrule, depth = None, None, 1
        elif line.startswith("BEGIN:") and depth:
            depth += 1
        elif line.startswith("END:") and depth:
            depth -= 1
            # A session told apart (no RRULE) must not hide its series' rule.
            if depth == 0 and (rrule is not None or uid not in rules):
                rules[uid] = rrule
        elif depth == 1 and line.startswith("UID:"):
            uid = line[4:].replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")
        elif depth == 1 and line.startswith("RRULE:"):
            rrule = line[len("RRULE:"):]
    return rules


def count_occurrences(cal, uids):
    try:
        import recurring_ical_events
    except ImportError:
        return {}
    counts = {}
    limit = 10000
    for n, occ in enumerate(recurring_ical_events.of(cal).all()):
        if n >= limit:
            break
        uid = str(occ.get("UID"))
        counts[uid] = counts.get(uid, 0) + 1
    return {uid: counts.get(uid, 0) for uid in uids}


def summarise_event(ev, uids, vtimezones, raw_rrules, problems):
    """One VEVENT's summary; appends what is wrong to `problems`."""
    uid = text(ev, "UID")
    rid = ev.get("RECURRENCE-ID")
    rid = None if rid is None else fmt_dt(rid.dt)
    where = f"VEVENT {uid!r}" + (f" RECURRENCE-ID {rid}" if rid else "")
    # One session of a series told apart shares the series' UID (RFC 5545 3.8.4.4):
    # a UID and RECURRENCE-ID together name one event.
    if not uid:
        problems.append("VEVENT without UID")
    elif (uid, rid) in uids:
        problems.append(f"{where}: duplicate UID")
    elif rid and (uid, None) not in uids:
        problems.append(f"{where}: no series with this UID before it")
    uids.append((uid, rid))
    start = ev.get("DTSTART")
    end = ev.get("DTEND")
    stamp = ev.get("DTSTAMP")
    if start is None:
        problems.append(f"{where}: no DTSTART")
    if stamp is None:
        problems.append(f"{where}: no DTSTAMP")
    elif getattr(stamp.dt, "tzinfo", None) is None or stamp.dt.utcoffset().total_seconds() != 0:
        problems.append(f"{where}: DTSTAMP is not in UTC")
    start_tzid = prop_tzid(start)
    for name, prop in (("DTSTART", start), ("DTEND", end)):
        tzid = prop_tzid(prop)
        if tzid is not None and tzid not in vtimezones:
            problems.append(f"{where}: {name} uses TZID {tzid} without a VTIMEZONE")
    if start is not None and end is not None and not end.dt > start.dt:
        problems.append(f"{where}: DTEND is not after DTSTART")
    exdates, ex_tzids = exdate_values(ev)
    for tzid in ex_tzids:
        if tzid != start_tzid:
            problems.append(f"{where}: EXDATE TZID {tzid} differs from DTSTART's {start_tzid}")
    categories = []
    cats = ev.get("CATEGORIES")
    for c in cats if isinstance(cats, list) else ([cats] if cats is not None else []):
        categories.extend(str(x) for x in getattr(c, "cats", [c]))
    seq = ev.get("SEQUENCE")
    return {
        "uid": uid,
        "recurrence_id": rid,
        "summary": text(ev, "SUMMARY"),
        "dtstart": None if start is None else {"value": fmt_dt(start.dt), "tzid": start_tzid},
        "dtend": None if end is None else {"value": fmt_dt(end.dt), "tzid": prop_tzid(end)},
        "dtstamp": None if stamp is None else fmt_dt(stamp.dt),
        "status": text(ev, "STATUS"),
        "sequence": None if seq is None else int(seq),
        "categories": categories,
        "location": text(ev, "LOCATION"),
        "url": text(ev, "URL"),
        "description": text(ev, "DESCRIPTION"),
        "rrule": None if rid else raw_rrules.get(uid, rrule_text(ev)),
        "exdates": exdates,
        "occurrences": None,
    }


def text(comp, name):
    v = comp.get(name)
    return None if v is None else str(v)


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    flags = {a for a in argv[1:] if a.startswith("--")}
    if len(args) != 1 or not flags <= {"--no-expand"}:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    path = args[0]
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        print(f"cannot read {path}: {e}", file=sys.stderr)
        return 2
    try:
        import icalendar
    except ImportError:
        print("the Python package `icalendar` is missing: pip install icalendar", file=sys.stderr)
        return 3

    problems = raw_problems(data)
    summary = {"file": path, "ok": False, "problems": problems, "calendar": None, "events": []}

    try:
        cal = icalendar.Calendar.from_ical(data)
    except Exception as e:  # the parser raises ValueError and friends
        problems.append(f"icalendar cannot parse the file: {e}")
        return finish(summary)

    for comp in cal.walk():
        for err in getattr(comp, "errors", []) or []:
            problems.append(f"{comp.name}: parse error: {err}")

    vtimezones = [str(tz.get("TZID")) for tz in cal.walk("VTIMEZONE")]
    summary["calendar"] = {
        "prodid": text(cal, "PRODID"),
        "version": text(cal, "VERSION"),
        "calscale": text(cal, "CALSCALE"),
        "method": text(cal, "METHOD"),
        "name": text(cal, "X-WR-CALNAME"),
        "timezone": text(cal, "X-WR-TIMEZONE"),
        "vtimezones": vtimezones,
    }
    if summary["calendar"]["version"] != "2.0":
        problems.append("VERSION is not 2.0")
    if not summary["calendar"]["prodid"]:
        problems.append("PRODID is missing")

    raw_rrules = raw_event_rrules(data.decode("utf-8", errors="replace"))
    uids = []
    events = []
    for ev in cal.walk("VEVENT"):
        try:
            events.append(summarise_event(ev, uids, vtimezones, raw_rrules, problems))
        except Exception as e:  # a broken property: the parser has said why
            problems.append(f"VEVENT {str(ev.get('UID'))!r}: cannot read: {e}")

    # RRULE UNTIL must be UTC when DTSTART has a TZID (RFC 5545 3.3.10).
    for e in events:
        m = re.search(r"UNTIL=([0-9TZ]+)", e["rrule"] or "")
        if m and e["dtstart"] and e["dtstart"]["tzid"] and not m.group(1).endswith("Z"):
            problems.append(f"VEVENT {e['uid']!r}: RRULE UNTIL is not in UTC although DTSTART has a TZID")

    if "--no-expand" not in flags and not problems:
        try:
            counts = count_occurrences(cal, [e["uid"] for e in events])
        except Exception as e:  # expansion is a bonus: report, don't fail
            counts = {}
            summary["expand_error"] = str(e)
        for e in events:
            if e["uid"] in counts:
                e["occurrences"] = counts[e["uid"]]

    summary["events"] = events
    return finish(summary)


def finish(summary):
    summary["ok"] = not summary["problems"]
    json.dump(summary, sys.stdout, ensure_ascii=False, indent=2, sort_keys=True)
    sys.stdout.write("\n")
    for p in summary["problems"]:
        print(f"{summary['file']}: {p}", file=sys.stderr)
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
