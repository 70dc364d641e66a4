"""What an import added, in one sentence: "Nothing was added: all 9 rows were already recorded. ..."."""

# counts key stem -> what it counts; a row is a learner or an attendance, so those come first
THINGS = {"learners": "learners", "attendances": "attendances", "sessions": "sessions", "skills": "skills gained"}


def import_summary(rows: int, counts: dict[str, int]) -> str:
    """'Imported 9 rows. Attendances: 4 new, 5 already recorded; ...' or, when nothing was new, says so."""
    parts, added = [], 0
    for stem, noun in THINGS.items():
        if f"{stem}_added" not in counts:
            continue
        new, present = counts[f"{stem}_added"], counts.get(f"{stem}_already_present", 0)
        added += new
        parts.append(f"{noun}: {new:,} new, {present:,} already recorded")
    rows_text = f"{rows:,} row" + ("" if rows == 1 else "s")
    if added:
        heading = f"Imported {rows_text}."
    else:
        heading = f"Nothing was added: {'the row was' if rows == 1 else f'all {rows_text} were'} already recorded."
    details = "; ".join(parts)
    return f"{heading} {details[:1].upper()}{details[1:]}." if details else heading
