"""The patient's record: sessions and steps in SQLite, progression worked out from them, and reports."""
