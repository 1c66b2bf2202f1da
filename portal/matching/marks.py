"""A small multilingual (es/en/pt) lexicon of distinguishing marks and a concept extractor.

Free-text descriptions such as "tatuaje de mariposa en el hombro", "butterfly tattoo on shoulder"
and "tatuagem de borboleta no ombro" are reduced to the same concept set
{type:tattoo, motif:butterfly, part:shoulder}. Words are folded (accents dropped, lower case),
plurals are stripped and Spanish/Portuguese inflections are caught by stems (tatuada, tatuado,
tatuaje, tatuagem -> tattoo). Negation ("sin tatuajes") is not handled.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .normalize import fold

TYPE, MOTIF, PART, SIDE = "type", "motif", "part", "side"

# concept -> (kind, exact folded words, stems matched as prefixes of a word)
_LEXICON: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    # mark types
    "tattoo": (TYPE, ("tattoo", "tatoo", "tattooed", "tatoos"), ("tatu", "tattoo", "tatua")),
    "scar": (TYPE, ("scar", "scarred"), ("cicatri",)),
    "mole": (TYPE, ("mole", "lunar", "pinta", "sinal", "verruga"), ()),
    "birthmark": (TYPE, ("birthmark",), ()),
    "burn": (TYPE, ("burn", "burned", "burnt"), ("quemad", "queimad")),
    "piercing": (TYPE, ("piercing", "pierced", "arete", "arito", "brinco", "earring", "aro"), ()),
    "missing_tooth": (TYPE, ("tooth", "teeth", "diente", "dente", "dientes", "dentes"), ()),
    "glasses": (TYPE, ("glasses", "spectacles", "lentes", "anteojos", "gafas", "oculos"), ()),
    # motifs
    "butterfly": (MOTIF, ("mariposa", "borboleta"), ("butterfl",)),
    "star": (MOTIF, ("star", "stars", "estrella", "estrela"), ()),
    "heart": (MOTIF, ("heart", "corazon", "coracao", "coracoes", "corazones"), ()),
    "rose": (MOTIF, ("rose", "rosa", "roses", "rosas"), ()),
    "cross": (MOTIF, ("cross", "cruz", "cruces", "crucifijo", "crucifixo", "crucifix"), ()),
    "name": (MOTIF, ("name", "nombre", "nome", "letras", "letters", "iniciales", "initials"), ()),
    "dragon": (MOTIF, ("dragon", "dragao", "dragones"), ()),
    "scorpion": (MOTIF, ("scorpion", "escorpion", "escorpiao", "alacran"), ()),
    "feather": (MOTIF, ("feather", "pluma", "pena"), ()),
    "moon": (MOTIF, ("moon", "luna", "lua"), ()),
    "snake": (MOTIF, ("snake", "serpiente", "culebra", "cobra"), ()),
    "skull": (MOTIF, ("skull", "calavera", "caveira"), ()),
    "anchor": (MOTIF, ("anchor", "ancla", "ancora"), ()),
    "eagle": (MOTIF, ("eagle", "aguila", "aguia"), ()),
    "flower": (MOTIF, ("flower", "flor", "flores", "flowers"), ()),
    "sun": (MOTIF, ("sun", "sol"), ()),
    "infinity": (MOTIF, ("infinity", "infinito"), ()),
    # body parts
    "shoulder": (PART, ("shoulder", "hombro", "ombro"), ()),
    "arm": (PART, ("arm", "brazo", "braco", "antebrazo", "antebraco", "forearm", "bicep", "biceps"), ()),
    "hand": (PART, ("hand", "mano", "mao", "finger", "dedo", "dedos", "fingers"), ()),
    "neck": (PART, ("neck", "cuello", "pescoco", "nuca"), ()),
    "face": (
        PART,
        (
            "face",
            "cara",
            "rostro",
            "rosto",
            "ceja",
            "cejas",
            "eyebrow",
            "mejilla",
            "cheek",
            "bochecha",
            "sobrancelha",
            "forehead",
            "testa",
            "labio",
            "lip",
        ),
        (),
    ),
    "leg": (PART, ("leg", "pierna", "perna", "muslo", "thigh", "coxa", "rodilla", "knee", "joelho"), ()),
    "back": (PART, ("back", "espalda", "costas"), ()),
    "wrist": (PART, ("wrist", "muneca", "pulso"), ()),
    "ankle": (PART, ("ankle", "tobillo", "tornozelo"), ()),
    "chest": (PART, ("chest", "pecho", "peito", "seno", "breast"), ()),
    # sides
    "left": (SIDE, ("left", "izquierdo", "izquierda", "esquerdo", "esquerda"), ()),
    "right": (SIDE, ("right", "derecho", "derecha", "direito", "direita"), ()),
}
# Multi-word phrases, matched on the folded text before single words.
_PHRASES: dict[str, str] = {
    "mancha de nacimiento": "birthmark",
    "marca de nacimiento": "birthmark",
    "birth mark": "birthmark",
    "marca de nascenca": "birthmark",
    "mancha de nascenca": "birthmark",
}

_EXACT = {word: concept for concept, (_, words, _) in _LEXICON.items() for word in words}
_STEMS = sorted(((stem, c) for c, (_, _, stems) in _LEXICON.items() for stem in stems), key=lambda s: -len(s[0]))


@dataclass(frozen=True)
class MarkConcepts:
    """Concepts found in a description, by kind; empty when nothing was recognised."""

    types: frozenset[str] = frozenset()
    motifs: frozenset[str] = frozenset()
    parts: frozenset[str] = frozenset()
    sides: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.types or self.motifs or self.parts)


def kind_of(concept: str) -> str:
    """The kind of a concept: a mark type, a motif, a body part or a side (the lexicon's first column)."""
    return _LEXICON[concept][0]


@lru_cache(maxsize=200_000)
def word_concept(word: str) -> str | None:
    """The concept of one folded word, trying exact form, singular forms, then stems."""
    for form in (word, word[:-1] if word.endswith("s") else "", word[:-2] if word.endswith("es") else ""):
        if form and form in _EXACT:
            return _EXACT[form]
    for stem, concept in _STEMS:
        if word.startswith(stem):
            return concept
    return None


@lru_cache(maxsize=4096)
def extract_marks(text: str) -> MarkConcepts:
    """The mark concepts named in free text (Spanish, English or Portuguese)."""
    folded = f" {fold(text)} "
    found: set[str] = set()
    for phrase, concept in _PHRASES.items():
        if f" {phrase} " in folded:
            found.add(concept)
            folded = folded.replace(f" {phrase} ", " ")
    found.update(c for c in map(word_concept, folded.split()) if c)  # folded already: no second fold
    by_kind: dict[str, set[str]] = {TYPE: set(), MOTIF: set(), PART: set(), SIDE: set()}
    for concept in found:
        by_kind[kind_of(concept)].add(concept)
    return MarkConcepts(*(frozenset(by_kind[k]) for k in (TYPE, MOTIF, PART, SIDE)))
