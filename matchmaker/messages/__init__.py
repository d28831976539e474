"""Messages about a need: one private thread per (need, vendor organisation), reports to organisers."""
