"""Invented people, places and short sentences of the practice spaces (portal.practice_data).

The names are common given names and surnames of each country of the network, put together at
random: any resemblance to a real person is chance. The places are real localities, as a trainee
would meet them.

NATIVE REVIEW NEEDED. The sentences and relations below in ``qu`` (Southern Quechua), ``ay``
(Aymara), ``gn`` (Guaraní) and ``ht`` (Haitian Creole) were written by a non-native speaker and
kept very short on purpose; a speaker of each should check every one of them before a session in
that language. The Aymara ones are the least sure (``school``, ``job``, ``neighbours``, ``with_man``
in particular); ``ay`` ``hair`` says "black hair" without "long".
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

# Marks that open every generated text. Quechua, Aymara and Guaraní keep the Spanish word, which
# every officer of those regions reads, rather than a coinage nobody has checked; Haitian Creole
# says "egzèsis" because "pratik" also means a regular customer.
MARKS = {
    "es": "[PRÁCTICA]",
    "en": "[PRACTICE]",
    "pt": "[PRÁTICA]",
    "fr": "[EXERCICE]",
    "ht": "[EGZÈSIS]",
    "qu": "[PRÁCTICA]",
    "ay": "[PRÁCTICA]",
    "gn": "[PRÁCTICA]",
}

# One short sentence per key and language, the same meaning in each.
SENTENCES: dict[str, dict[str, str]] = {
    "es": {
        "jumper": "Llevaba una chompa roja.",
        "hair": "Tiene el cabello negro y largo.",
        "backpack": "Llevaba una mochila azul.",
        "left": "Salió de su casa y no volvió.",
        "school": "Ese día no fue al colegio.",
        "job": "Le ofrecieron trabajo en otro país.",
        "photo": "La familia trajo una foto nueva.",
        "neighbours": "Hablamos con los vecinos.",
        "with_man": "Estaba con un hombre mayor.",
        "selling": "Vendía dulces en la calle.",
    },
    "en": {
        "jumper": "Wore a red jumper.",
        "hair": "Has long black hair.",
        "backpack": "Carried a blue backpack.",
        "left": "Left home and did not come back.",
        "school": "Did not go to school that day.",
        "job": "Was offered work in another country.",
        "photo": "The family brought a new photo.",
        "neighbours": "We spoke with the neighbours.",
        "with_man": "Was with an older man.",
        "selling": "Was selling sweets in the street.",
    },
    "pt": {
        "jumper": "Vestia uma blusa vermelha.",
        "hair": "Tem cabelo preto e comprido.",
        "backpack": "Levava uma mochila azul.",
        "left": "Saiu de casa e não voltou.",
        "school": "Naquele dia não foi à escola.",
        "job": "Ofereceram-lhe trabalho em outro país.",
        "photo": "A família trouxe uma foto nova.",
        "neighbours": "Falamos com os vizinhos.",
        "with_man": "Estava com um homem mais velho.",
        "selling": "Vendia doces na rua.",
    },
    "fr": {
        "jumper": "Portait un pull rouge.",
        "hair": "A les cheveux noirs et longs.",
        "backpack": "Portait un sac à dos bleu.",
        "left": "A quitté la maison et n'a plus donné de nouvelles.",
        "school": "Ce jour-là, a manqué l'école.",
        "job": "On lui a proposé un travail dans un autre pays.",
        "photo": "La famille a apporté une nouvelle photo.",
        "neighbours": "Nous avons parlé avec les voisins.",
        "with_man": "Était avec un homme plus âgé.",
        "selling": "Vendait des bonbons dans la rue.",
    },
    "ht": {
        "jumper": "Li te mete yon chanday wouj.",
        "hair": "Li gen cheve nwa ki long.",
        "backpack": "Li te pote yon sakado ble.",
        "left": "Li soti lakay li, li pa tounen.",
        "school": "Jou sa a, li pa t al lekòl.",
        "job": "Yo te ofri l yon travay nan yon lòt peyi.",
        "photo": "Fanmi an pote yon nouvo foto.",
        "neighbours": "Nou pale ak vwazen yo.",
        "with_man": "Li te avèk yon nonm ki pi gran.",
        "selling": "Li t ap vann sirèt nan lari a.",
    },
    "qu": {
        "jumper": "Puka chompata churakurqa.",
        "hair": "Suni yana chukchayuq.",
        "backpack": "Anqas q'ipita apakurqa.",
        "left": "Wasinmanta lluqsirqa, manataq kutimurqachu.",
        "school": "Chay p'unchaw mana yachay wasiman rirqachu.",
        "job": "Huk suyupi llamk'ayta qurqanku.",
        "photo": "Ayllun musuq fotota apamurqa.",
        "neighbours": "Wasi masinkunawan rimarqayku.",
        "with_man": "Huk kuraq qhariwan karqa.",
        "selling": "Ñanpi misk'ikunata rantikusharqa.",
    },
    "ay": {
        "jumper": "Wila chompani.",
        "hair": "Ch'iyar ñik'utani.",
        "backpack": "Larama q'ipini.",
        "left": "Utapat mistuwayi, janiw kutt'aniti.",
        "school": "Janiw yatiqañ utar sarkänti.",
        "job": "Yaqha markan irnaqäwi churapxatayna.",
        "photo": "Wila masinakapax machaq fotw apanipxi.",
        "neighbours": "Jak'an jakirinakampiw parlapxta.",
        "with_man": "Mä jilïr chachampiw utjäna.",
        "selling": "Thakin misk'inak aljaskäna.",
    },
    "gn": {
        "jumper": "Oipuru ao pytã.",
        "hair": "Iñakãrague hũ ha ipuku.",
        "backpack": "Ogueraha peteĩ mochila hovy.",
        "left": "Osẽ hógagui ha ndouvéi.",
        "school": "Upe árape ndohói mbo'ehaópe.",
        "job": "Oñeme'ẽ chupe tembiapo ambue tetãme.",
        "photo": "Ipehẽnguekuéra ogueru ta'anga pyahu.",
        "neighbours": "Roñomongeta vecinokuérandi.",
        "with_man": "Oĩ kuimba'e tuja ndive.",
        "selling": "Ohepyme'ẽ karameloita tapépe.",
    },
}

# (mother, father) as a family member writes the relation.
RELATIONS = {
    "es": ("madre", "padre"),
    "en": ("mother", "father"),
    "pt": ("mãe", "pai"),
    "fr": ("mère", "père"),
    "ht": ("manman", "papa"),
    "qu": ("mama", "tayta"),
    "ay": ("tayka", "awki"),
    "gn": ("sy", "túva"),
}

# One line per country and kind, the items separated by semicolons: F female given names, M male
# given names (compound ones on purpose), S surnames, P places.
_PEOPLE = """
BO F: Guadalupe; María José; Rosa Elvira; Ximena; Lizeth; Wara; Janeth; Yessica; Roxana; Nayeli; Soledad
BO M: José Luis; Wilmer; Juan Carlos; Jhonny; Franz; Jesús; Limbert; Marco Antonio; Efraín; Rubén
BO S: Quispe; Mamani; Condori; Huanca; Choque; Apaza; Ticona; Chambi; Coaquira; Limachi; Poma; Flores
BO P: El Alto, Distrito 8; La Paz, Villa Fátima; Oruro, Zona Norte; Cochabamba, Quillacollo; Potosí
PE F: Yessica; Milagros; Luz Marina; Nilda; Flor de María; Guadalupe; Maribel; Rocío; Yaneth; Ximena
PE M: Edwin; Yuri; Percy; Wilber; Francisco; Luis Ángel; Jhon Carlos; Rolando; Jesús
PE S: Quispe; Huamán; Mamani; Ccori; Condori; Huanca; Cusi; Huarachi; Ramos; Ttito
PE P: Cusco, Wanchaq; Juliaca; Puno, Alto Puno; Arequipa, Cerro Colorado; Puerto Maldonado
CL F: Catalina; Javiera; Constanza; Valentina; María José; Francisca; Fernanda; Antonia; Camila; Ximena; Jessica
CL M: Benjamín; Matías; Vicente; Cristóbal; José Tomás; Francisco; Bastián; Joaquín
CL S: González; Muñoz; Rojas; Díaz; Soto; Contreras; Silva; Mamani; Choque; Araya
CL P: Arica; Alto Hospicio; Calama; Santiago, Puente Alto; Antofagasta
EC F: María de los Ángeles; Erika; Jessica; Mishell; Nathaly; Sisa; Ximena; Dayana; Tamia
EC M: Jefferson; Anthony; Bryan; Segundo; Luis Alfonso; Jesús; Kevin; Darwin
EC S: Guamán; Chimbo; Tenesaca; Pilataxi; Quishpe; Zambrano; Cevallos; Caiza; Morocho
EC P: Quito, Chillogallo; Guayaquil, Guasmo; Riobamba; Otavalo; Cuenca
GT F: Sandra Lucía; Juana; María Guadalupe; Guadalupe; Ixchel; Heidy; Yessica; Rosa Amelia; Glendy; Ana Sofía
GT M: Kevin Alexander; Byron; Edgar Rolando; Francisco; José Manuel; Wálter; Ángel Gabriel; Jesús
GT S: Xicará; Tzoc; Cux; Tzul; Ajú; Chumil; Coj; Ixcoy; Batz; López; Pérez
GT P: Quetzaltenango; Totonicapán; Guatemala, zona 18; Huehuetenango; Sololá
NI F: Guadalupe; Darling; María José; Scarleth; Ana Gabriela; Jessica; Yahoska; Fátima; Katherine
NI M: Yader; Francisco; Jesús; Norlan; Ervin; Denis; Kevin; José Ramón
NI S: Rivas; Obando; Téllez; Zeledón; Membreño; Chavarría; Mairena; Ruiz; Castillo
NI P: Managua, Ciudad Sandino; León; Estelí; Chinandega; Rivas
CR F: Valeria; Fabiola; María Fernanda; Daniela; Hazel; Yessica; Mariana; Tatiana; Valentina
CR M: Josué; Keylor; Fabián; José Pablo; Yeison; Esteban; Andrés; Jesús
CR S: Vargas; Jiménez; Solano; Mora; Araya; Quesada; Rojas; Chaves; Calderón
CR P: San José, Pavas; Limón; Puntarenas; Liberia; Upala
BZ F: Shanice; Keisha; Aaliyah; Marisol; Jasmine; Guadalupe; Tamika; Destiny; Yessica
BZ M: Tyrone; Dwayne; Jaden; Rolando; Francisco; Shane; Marvin; Jesús
BZ S: Flowers; Young; Gillett; Usher; Tillett; Castillo; Cal; Choc; Coc; Pop; Bol
BZ P: Belize City; Orange Walk; San Ignacio; Punta Gorda; Corozal
PR F: Yamilet; Xiomara; Coral; Paola; Yarelis; María José; Nicole; Génesis; Yessica
PR M: Luis Ángel; Jeremy; Yadiel; José Manuel; Jesús; Kelvin; Ángel Luis; Francisco
PR S: Rivera; Colón; Santiago; Rodríguez; Ortiz; Vélez; Cruz; Torres; Maldonado
PR P: San Juan, Río Piedras; Bayamón; Ponce; Mayagüez; Carolina
"""
Pool = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]


def _load(table: str) -> dict[str, Pool]:
    """Parse the table into {country: (female given names, male given names, surnames, places)}."""
    rows: dict[str, dict[str, tuple[str, ...]]] = {}
    for line in table.strip().splitlines():
        head, _, items = line.partition(":")
        country, kind = head.split()
        rows.setdefault(country, {})[kind] = tuple(item.strip() for item in items.split(";"))
    return {country: (kinds["F"], kinds["M"], kinds["S"], kinds["P"]) for country, kinds in rows.items()}


PEOPLE = _load(_PEOPLE)

# Nicknames the matching engine knows (portal.matching.nicknames), for the given names above.
NICKNAMES = {
    "Guadalupe": "Lupe",
    "María José": "Majo",
    "Jesús": "Chuy",
    "Francisco": "Pancho",
    "Francisca": "Pancha",
    "Ximena": "Xime",
    "Valentina": "Vale",
    "Catalina": "Cata",
    "Milagros": "Mili",
    "Rosa Elvira": "Rosi",
    "Camila": "Cami",
    "Fernanda": "Fer",
    "Rocío": "Chio",
    "Daniela": "Dani",
}

# How the same name is spelt in another country's office (the engine's phonetics hear them alike).
SPELLINGS = {
    "Quispe": "Kispe",
    "Huanca": "Wanka",
    "Huamán": "Waman",
    "Condori": "Kondori",
    "Quishpe": "Kishpe",
    "Yessica": "Jessica",
    "Jessica": "Yessica",
    "Ximena": "Jimena",
}

# Where a duplicate is reported again: a member country across the border (Puerto Rico has none by
# land; Costa Rica stands in).
NEIGHBOURS = {
    "BO": "PE",
    "PE": "BO",
    "CL": "PE",
    "EC": "PE",
    "GT": "BZ",
    "BZ": "GT",
    "NI": "CR",
    "CR": "NI",
    "PR": "CR",
}

# Mobile numbers: (country code and the start of a mobile number, random digits to add). The zeros
# make them look like nobody's number in particular; Puerto Rico's are in 555-0100..0199, the block
# the North American plan keeps for fiction.
PHONES = {
    "BO": ("+591 7000", 4),
    "PE": ("+51 9000", 5),
    "CL": ("+56 9000", 5),
    "EC": ("+593 9900", 5),
    "GT": ("+502 5000", 4),
    "NI": ("+505 8000", 4),
    "CR": ("+506 8000", 4),
    "BZ": ("+501 600", 4),
    "PR": ("+1 787 555 01", 2),
}


def pool(country: str) -> Pool:
    """The names and places of ``country``; Bolivia's for a country that joined since this was written."""
    return PEOPLE.get(country, PEOPLE["BO"])


@dataclass(frozen=True)
class Person:
    """An invented person, as their family describes them."""

    given: str
    first: str
    second: str
    sex: str
    birth: date
    height_cm: int
    home: str  # the country whose names they carry (a key of PEOPLE)

    def age_on(self, day: date) -> int:
        """Whole years on ``day``."""
        return day.year - self.birth.year - ((day.month, day.day) < (self.birth.month, self.birth.day))

    def respelt(self) -> Person:
        """The same person as another country's office would write them down (SPELLINGS)."""
        return replace(
            self,
            given=SPELLINGS.get(self.given, self.given),
            first=SPELLINGS.get(self.first, self.first),
            second=SPELLINGS.get(self.second, self.second),
        )
