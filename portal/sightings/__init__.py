"""Sightings: reports from anyone that a missing person was seen."""
