"""The missing-persons portal of the Latin American Missing Persons Network."""
