"""Spanish and Portuguese hypocoristics (nicknames) as sets of the full names they can stand for.

A nickname maps to a *set* of full names, never to one canonical name: Beto is
Alberto, Roberto or Humberto, and Alberto is not thereby related to Roberto.
Keys and values are folded (lower-case ASCII, no accents); compound full names
keep their particles ("maria de la paz") as in ParsedName.given_compound.
"""

from __future__ import annotations

from functools import lru_cache

from .normalize import fold

# nickname: full name, full name, ...   (one line per nickname; accents allowed, folded on load)
_TABLE = """
pepe: josé
pepito: josé
pepa: josefa
pepita: josefa, josefina
chepe: josé
chepa: josefa
cheo: josé
chema: josé maría
josema: josé maría
ze: josé
zeca: josé
zezinho: josé
juca: josé
fina: josefina
pina: josefina, agripina
lupe: guadalupe
lupita: guadalupe
chuy: jesús
chucho: jesús
chus: jesús, maría jesús
majo: maría josé
mafer: maría fernanda
maite: maría teresa
marijo: maría josé
marijose: maría josé
paco: francisco
paquito: francisco
pancho: francisco
panchito: francisco
curro: francisco
quico: francisco, enrique
kiko: francisco, enrique
fran: francisco, francisca
chico: francisco
chiquinho: francisco
xico: francisco
paca: francisca
paquita: francisca
pancha: francisca
panchita: francisca
chica: francisca
nacho: ignacio
nacha: ignacia
toño: antonio
toña: antonia
tonio: antonio
toni: antonio, antonia
tony: antonio, anthony
tonho: antonio
toninho: antonio
lucho: luis
wicho: luis
güicho: luis
quique: enrique
kike: enrique
chela: graciela, marcela
chelo: consuelo, marcelo
conchita: concepción
concha: concepción
conchi: concepción
mayte: maría teresa
marite: maría teresa
tere: teresa
beto: alberto, roberto, humberto, gilberto, norberto, adalberto
tito: alberto, roberto, héctor, alberta
memo: guillermo
guille: guillermo, guillermina
gui: guilherme
willy: guillermo, wilfredo, william
charo: rosario
chayo: rosario
chari: rosario
rosi: rosa, rosario
lola: dolores
lolita: dolores
loli: dolores
lolo: manuel
pili: pilar
merche: mercedes
meche: mercedes
chabela: isabel
isa: isabel, isabela
maribel: maría isabel
marisa: maría luisa, maría isabel
marilu: maría luisa, maría lucía
malu: maría luiza, maría lucia
mariví: maría victoria
maripaz: maría de la paz
maruja: maría
mari: maría, marisol, maribel, marisa
maru: maría eugenia
male: maría elena
malena: maría elena, magdalena
rafa: rafael, rafaela
fito: adolfo, rodolfo
goyo: gregorio
chente: vicente
chalo: gonzalo
chava: salvador
chavo: salvador
lalo: eduardo
cuco: refugio
cuca: refugio
nando: fernando, hernando
nanda: fernanda
fer: fernando, fernanda
tavo: gustavo, octavio
guto: augusto, gustavo
guga: gustavo
checo: sergio
neto: ernesto
poncho: alfonso, ildefonso
licha: alicia, felicia
pati: patricia
paty: patricia
pato: patricio
lili: liliana
vicky: victoria
tina: cristina, agustina, celestina
tino: agustín, celestino, faustino, constantino
tano: cayetano
manolo: manuel
manu: manuel, manuela
manel: manuel
mane: manuel
santi: santiago
juancho: juan
nico: nicolás
gabo: gabriel
gabi: gabriel, gabriela
gaby: gabriela
dani: daniel, daniela
alex: alejandro, alejandra, alexander, alexandre
ale: alejandro, alejandra
sandro: alejandro, alessandro
migue: miguel
fede: federico
fico: federico
tacho: anastasio, eustaquio
lencho: lorenzo
trini: trinidad
yoli: yolanda
susi: susana
cata: catalina
caro: carolina
carol: carolina, caroline
vero: verónica
moni: mónica
ceci: cecilia
tati: tatiana
chio: rocío
nati: natalia
pau: paula, paulina
bety: beatriz
betty: beatriz, isabel, elizabeth
bia: beatriz
bete: elisabete, elizabete
beth: elizabeth, elisabete
sole: soledad
mili: emilia, milagros
mila: milagros, camila
cami: camila
maca: macarena
flor: florencia, flora
lucy: lucía
adri: adriana, adrián
mundo: edmundo, raimundo
lando: orlando, rolando
polo: hipólito, leopoldo, apolonio
poli: hipólito, policarpo
nicho: dionisio
moncho: ramón
monchi: ramón
tencha: hortensia
sofi: sofía
chofi: sofía
lena: helena, elena, madalena
tiao: sebastião
bastiao: sebastião
quim: joaquim
chimo: joaquín
juaco: joaquín
duda: eduardo, eduarda, maria eduarda
dudu: eduardo
lipe: felipe
pipe: felipe
leo: leonardo, leandro, leonel, leonor
vini: vinícius
cida: aparecida
xuxa: maria da graça
nena: magdalena, elena
juninho: júnior
chepito: josé
panfi: pánfilo
chabelo: isabelo
cholo: marcelo
mencha: clemencia
eli: elías, elisa, elena, eliana, elizabeth
mache: macedonio
lucha: luz, luisa
meme: manuel, manuela
miki: miguel, miguel ángel
mike: miguel, michael
menchu: carmen
coco: jorge, socorro
jenny: jennifer
kim: kimberly
xime: ximena, jimena
jime: jimena, ximena
vale: valentina, valeria
abi: abigail
chris: christopher, cristian, cristina
sam: samuel, samantha
oscarin: óscar
"""


def _load(table: str) -> dict[str, frozenset[str]]:
    """Parse the text table into {folded nickname: folded full names}, skipping empty entries."""
    result: dict[str, frozenset[str]] = {}
    for line in table.strip().splitlines():
        nick, _, targets = line.partition(":")
        names = frozenset(fold(t) for t in targets.split(",") if fold(t))
        if fold(nick) and names:
            result[fold(nick)] = result.get(fold(nick), frozenset()) | names
    return result


NICKNAMES: dict[str, frozenset[str]] = _load(_TABLE)
# Common given names that diminutives are formed from, besides the nickname targets above.
_COMMON_GIVEN = """ana juan carlos pedro pablo mario jorge diego luis miguel angel rosa elena
juana marta carmen sara julia laura lucia pedro paulo joao maria jose manuel""".split()  # noqa: SIM905 (a word list)
FULL_NAMES: frozenset[str] = frozenset().union(*NICKNAMES.values(), _COMMON_GIVEN)

_DIMINUTIVES = ("cito", "cita", "ito", "ita", "itos", "inho", "inha", "zinho", "zinha")


def _diminutive_stems(name: str) -> set[str]:
    """Known full names a diminutive (Juanito, Anita, Carlitos, Pedrinho) can come from."""
    stems: set[str] = set()
    for suffix in _DIMINUTIVES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            stem = name[: -len(suffix)]
            for candidate in (stem, stem + "o", stem + "a", stem + "os", stem + "e"):
                if candidate in FULL_NAMES:
                    stems.add(candidate)
    return stems


@lru_cache(maxsize=50_000)
def nickname_targets(name: str) -> frozenset[str]:
    """The folded full names that a nickname (or diminutive) can stand for; empty if not a nickname."""
    folded = fold(name)
    return NICKNAMES.get(folded, frozenset()) | frozenset(_diminutive_stems(folded.replace(" ", "")))


@lru_cache(maxsize=1_000_000)
def are_nickname_related(a: str, b: str) -> bool:
    """True when one name is a nickname of the other or both are nicknames of a same full name."""
    fa, fb = fold(a), fold(b)
    if not fa or not fb or fa == fb:
        return False
    ta, tb = nickname_targets(fa), nickname_targets(fb)
    return fb in ta or fa in tb or bool(ta and tb and ta & tb)
