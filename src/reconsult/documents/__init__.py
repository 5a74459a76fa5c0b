"""Documents a person takes away: calendar reminders (and, later, letters and packets)."""
