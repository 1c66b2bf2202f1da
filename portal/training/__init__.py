"""Cascade training: sessions, enrolment, practice spaces, exercises and certification."""
