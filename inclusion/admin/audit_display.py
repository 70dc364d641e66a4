"""The audit log's before, after and details in plain words: "Attendances moved: 3", not "moved attendance ids = []"."""

from collections.abc import Iterator

# Keys whose plain wording is not their name with the underscores taken out.
LABELS = {
    "moved_attendance_ids": "attendances moved",
    "removed_attendance_session_ids": "attendances already on the kept record (removed)",
    "moved_achievement_ids": "skills moved",
    "removed_achievements": "skills already on the kept record (removed)",
    "moved_check_ids": "checks moved",
    "restaged_baseline_ids": "checks made the baseline again",
    "repointed_learner_ids": "earlier duplicates now pointing at the kept record",
    "kept_learner_id": "kept learner (record number)",
    "other_learner_id": "other learner (record number)",
    "learner_id": "learner (record number)",
    "merged_into_id": "merged into (record number)",
    "sha256": "file fingerprint",
    "owners": "",
    "sessions_ended": "signed-in devices signed out",
}
OWNER_LABELS = {"sessions": "Sessions", "confidence": "Confidence checks", "imports": "Uploaded spreadsheets"}
FINGERPRINT_SHOWN = 12  # characters of a SHA-256: enough to tell two files apart by eye


def _label(key: str) -> str:
    if key in LABELS:
        return LABELS[key]
    return key.removesuffix("_ids").removesuffix("_id").replace("_", " ")


def _text(key: str, value) -> str:
    if value is None or value == "":
        return "empty"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return f"{len(value):,}" if value else "none"
    if key == "sha256" and isinstance(value, str):
        return value[:FINGERPRINT_SHOWN] + "…"
    return str(value)


def describe(values: dict | None, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(label, text) pairs for an audit entry's dictionary; nested dictionaries (a merge's owners) flattened."""
    for key, value in (values or {}).items():
        if isinstance(value, dict):
            heading = OWNER_LABELS.get(key, _label(key))  # "owners" itself adds no words
            yield from describe(value, prefix=f"{prefix}{heading}: " if heading else prefix)
            continue
        label = prefix + _label(key)
        yield label[:1].upper() + label[1:], _text(key, value)
