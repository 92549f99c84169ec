"""Joint trainings, exercises and awareness campaigns across ports, with a calendar and an iCalendar feed."""
