"""The organiser console (/console): headline figures, needs-survey import, exports."""
