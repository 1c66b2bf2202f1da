"""The portal side of the trafficking indicators: stored assessments, officers' reviews, pages (DESIGN.md §6)."""
