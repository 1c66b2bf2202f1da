"""Claims (missing persons), their append-only notes and the reference counter."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.db import Base, StringList, UTCDateTime, append_only, utcnow


class Claim(Base):
    """A missing person reported by a family or the police (DESIGN.md §3)."""

    __tablename__ = "claim"
    __table_args__ = (
        CheckConstraint("status IN ('draft','active','located_alive','located_deceased','closed')", name="status"),
        CheckConstraint("publication IN ('unpublished','published','withheld')", name="publication"),
        CheckConstraint("sex IN ('F','M','')", name="sex"),
        CheckConstraint("prior_disappearances BETWEEN 0 AND 50", name="prior_disappearances"),
        # The search's inverted index (PostgreSQL only; SQLite reads name_keys claim by claim).
        Index("ix_claim_name_keys", "name_keys", postgresql_using="gin").ddl_if(dialect="postgresql"),
        Index("ix_claim_public_name_keys", "public_name_keys", postgresql_using="gin").ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    publication: Mapped[str] = mapped_column(String(12), default="unpublished", index=True)
    owner_country: Mapped[str] = mapped_column(ForeignKey("country.code"), index=True)
    agency: Mapped[str] = mapped_column(String(120), default="")
    police_case_number: Mapped[str] = mapped_column(String(60), default="")

    # The person.
    given_names: Mapped[str] = mapped_column(String(120), default="")
    first_surname: Mapped[str] = mapped_column(String(80), default="")
    second_surname: Mapped[str] = mapped_column(String(80), default="")
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    sex: Mapped[str] = mapped_column(String(1), default="")
    birth_date: Mapped[date | None] = mapped_column(Date)
    # "day", "month" or "year": how much of birth_date is known (PFIF allows YYYY and YYYY-MM).
    birth_date_precision: Mapped[str] = mapped_column(String(5), default="day")
    age_min: Mapped[int | None] = mapped_column(Integer)
    age_max: Mapped[int | None] = mapped_column(Integer)
    document_id: Mapped[str] = mapped_column(String(40), default="")
    nationality: Mapped[str] = mapped_column(String(2), default="")
    height_cm: Mapped[int | None] = mapped_column(Integer)
    build: Mapped[str] = mapped_column(String(60), default="")
    hair: Mapped[str] = mapped_column(String(60), default="")
    eyes: Mapped[str] = mapped_column(String(60), default="")
    distinguishing_marks: Mapped[str] = mapped_column(Text, default="")
    clothing: Mapped[str] = mapped_column(Text, default="")
    # Shown on the public page: what a passer-by should look for.
    description: Mapped[str] = mapped_column(Text, default="")

    # The disappearance.
    event_date: Mapped[date | None] = mapped_column(Date, index=True)
    # Country and place last seen (person-record names).
    country: Mapped[str] = mapped_column(String(2), default="", index=True)  # each country's name counts
    place: Mapped[str] = mapped_column(String(200), default="")
    circumstances: Mapped[list[str]] = mapped_column(JSON, default=list)
    circumstances_text: Mapped[str] = mapped_column(Text, default="")
    # The offer the person left for: keys are portal.risk.facts.Offer's fields, only those given.
    offer: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prior_disappearances: Mapped[int | None] = mapped_column(Integer)
    missing_from_state_care: Mapped[bool | None] = mapped_column(Boolean)
    occupation: Mapped[str] = mapped_column(String(30), default="")

    # Who reported it (restricted).
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    reporter_name: Mapped[str] = mapped_column(String(120), default="")
    reporter_relation: Mapped[str] = mapped_column(String(60), default="")
    reporter_contact: Mapped[str] = mapped_column(String(200), default="")

    # A minor's photo is published only once guardian consent is recorded.
    guardian_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    guardian_consent_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    # Age when last seen, from the birth date or the estimate (rules.age_range), kept for the
    # search's age filter.
    age_seen_min: Mapped[int | None] = mapped_column(Integer)
    age_seen_max: Mapped[int | None] = mapped_column(Integer)
    # The keys the search finds the claim under (portal.matching.lookup): its name words as
    # written and as they sound, and its document number. Written by cases.name_index.index_claim.
    name_keys: Mapped[list[str]] = mapped_column(StringList, default=list)
    # The keys of the names the public reads (given names, first surname): what a public search
    # matches, so that it never confirms a hidden second surname, alias or document number.
    public_name_keys: Mapped[list[str]] = mapped_column(StringList, default=list)

    validated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When retention or an erasure request removed the person's data (portal.cases.anonymise).
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    validated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    # Optimistic locking. SQLAlchemy reads this once, when it maps the class; its base declares the
    # attribute without ClassVar, so the annotation RUF012 asks for would clash under mypy.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])
    notes: Mapped[list[Note]] = relationship(back_populates="claim", order_by="Note.id", cascade="save-update, merge")
    recruiters: Mapped[list[RecruiterIdentifier]] = relationship(
        back_populates="claim", order_by="RecruiterIdentifier.id", cascade="all, delete-orphan"
    )


class Note(Base):
    """An append-only entry on a claim (PFIF note semantics); never updated or deleted."""

    __tablename__ = "note"
    __table_args__ = (CheckConstraint("visibility IN ('public','family','police')", name="visibility"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(20), default="information")
    visibility: Mapped[str] = mapped_column(String(8), default="police")
    text: Mapped[str] = mapped_column(Text, default="")
    status_before: Mapped[str | None] = mapped_column(String(20))
    status_after: Mapped[str | None] = mapped_column(String(20))
    # Structured extras (changed field names, publication decision...): never personal values.
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Structured facts an officer observed (portal.risk.facts.NOTE_FLAGS); police notes only.
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)

    claim: Mapped[Claim] = relationship(back_populates="notes")
    author: Mapped[User | None] = relationship()


class RecruiterIdentifier(Base):
    """A phone, social-media handle or vehicle plate of whoever made the offer or took the person.

    Only the normalised value (portal.risk.facts.normalise_identifier) is stored, so that the same
    phone typed two ways is one value; (kind, value) is indexed for the network look-up (N1).
    """

    __tablename__ = "recruiter_identifier"
    __table_args__ = (
        CheckConstraint("kind IN ('phone','social_handle','vehicle_plate')", name="kind"),
        UniqueConstraint("claim_id", "kind", "value", name="uq_recruiter_identifier_claim_kind_value"),
        Index("ix_recruiter_identifier_kind_value", "kind", "value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(120))

    claim: Mapped[Claim] = relationship(back_populates="recruiters")


class ReferenceCounter(Base):
    """Last reference number used per country and year (``BO-2026-000123``)."""

    __tablename__ = "reference_counter"

    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


append_only(Note)


class CommonNameKey(Base):
    """A search key many published claims are stored under, with how many (``portal.cases.search``).

    Counted afresh by the worker every SEARCH_COUNTS_EVERY seconds, not kept by each edit: a search
    reads it only to know, without counting, that a word alone finds more claims than it counts
    (a million claims hold 60,000 Quispes), so a count some minutes old serves.
    """

    __tablename__ = "common_name_key"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    claims: Mapped[int] = mapped_column(Integer)


class NameSound(Base):
    """A name sound stored for some claim: the vocabulary a misspelt search word is corrected against.

    Only ever added to: a sound no claim has any more finds nothing, which costs one look-up.
    """

    __tablename__ = "name_sound"

    sound: Mapped[str] = mapped_column(String(64), primary_key=True)
