"""Name sources of the second benchmark generator (``generate_other.py``).

Written for it, independently of ``names_data.py`` and ``generate.py``: other populations, other
lists, other frequencies, other nickname sets and the spellings a witness writes when she only
heard a name. Every list runs from the commonest entry to the rarest; the generator draws from it
with Zipf weights ``rank ** -s`` (the exponent of each list is in ``POPULATIONS``). The lists and
their orders are assumptions made for a benchmark, not statistics of any registry. All people
made from them are invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Population:
    """One naming community: where its claims are filed, how its names are built and written."""

    weight: float  # share of the missing people
    home: dict[str, float]  # country where the first claim is filed -> weight
    routes: dict[str, float]  # country where a person is later seen -> weight
    surnames: tuple[str, ...]
    surname_s: float  # Zipf exponent of the surname list
    female: tuple[str, ...]
    male: tuple[str, ...]
    given_s: float
    two_given: float  # share of people with two given names
    convention: str  # "spanish" (paternal maternal), "portuguese" (maternal paternal), "single"
    heights: tuple[int, int]  # adult mean height in cm (F, M)
    second_surnames: tuple[str, ...] = ()  # mixed communities: the pool of the other half
    second_share: float = 0.0  # share of surname slots drawn from second_surnames
    one_surname: float = 0.0  # people with only one surname on their documents
    married_form: str = "de"  # "de": "Tzoc de Pop"; "append": Brazilian "Ferreira Santos"; "replace"
    apodos: tuple[str, ...] = field(default=())  # nicknames that are not forms of the given name
    nations: tuple[str, ...] = ()  # nationalities (the first when the home country is not one)


def names(text: str, sep: str | None = None) -> tuple[str, ...]:
    """A list of names written as one string (space- or ``sep``-separated), most frequent first."""
    return tuple(text.split(sep))


# ------------------------------------------------------------------ Andean (Quechua, Aymara)
ANDEAN_SURNAMES = names(
    "Quispe Mamani Condori Huamán Flores Choque Apaza Ticona Yupanqui Mayta Ccori Huanca Layme Puma "
    "Chambilla Sullca Paucar Huillca Ccahuana Cusi Coaquira Tito Pari Aguilar Rojas Cruz Vargas Roque "
    "Callo Huaraca Llacma Cutipa Choquehuanca Huarachi Illanes Limachi Nina Machaca Sirpa Mendoza "
    "Ramírez Jancko Ccallo Pillco Quilla Yucra Chipana Cáceres Tupa Anccasi Lupaca Ayma Challco"
)
ANDEAN_FEMALE = names(
    "María|Rosa|Yeni|Marisol|Ruth|Delia|Nely|Lourdes|Gladys|Yola|Milagros|Sonia|Fortunata|Rufina|Hilda|"
    "Nayra|Wara|Sumaq|Illari|Yessica|Elizabeth|Flor|Vilma|Juana|Beatriz|Maribel|Lidia|Edith|Roxana|Mery|"
    "Soledad|Natividad|Justina|Sabina|Eulalia|Dina|Olga|Brisa|Yanet|Karina",
    "|",
)
ANDEAN_MALE = names(
    "Juan|Edwin|Wilber|Elmer|Fredy|Percy|Rubén|Hernán|Wilfredo|Nilo|Amaru|Inti|Efraín|Teófilo|Alejandro|"
    "Saturnino|Gumercindo|Fidel|Rolando|Néstor|Jhon|Yony|Rodrigo|Eduardo|Fernando|Gregorio|Marcelino|"
    "Celestino|Abel|Rómulo|Lucio|Darío|Cristian|Jhonatan|Mario|Wálter|Grover|Reynaldo|Ronald|Franz",
    "|",
)
# Quechua compound surnames are productive (Choque + huanca, Cusi + huamán): a share of the
# surnames is made from two roots, so the long tail is longer than any list.
ANDEAN_ROOTS_FIRST = ("Choque", "Cusi", "Quispe", "Condori", "Huaman", "Mayta", "Yupa", "Inca", "Tupa", "Tica")
ANDEAN_ROOTS_SECOND = ("huanca", "huamán", "cahuana", "pata", "llusco", "mamani", "ccapa", "puma", "cancha", "lla")
ANDEAN_COMPOUND_SHARE = 0.08

# ------------------------------------------------------------------ Ecuadorian Kichwa
KICHWA_SURNAMES = names(
    "Guasgua Lema Males Cachimuel Tituaña Maigua Quilumbaquin Toapanta Chicaiza Guamán Tipán Caiza "
    "Cabascango Pilataxi Farinango Anrango Muenala Perugachi Sandoval Chalán Yamberla Tuquerres Guatemal "
    "Quinchiguango Amaguaña Pupiales Otavalo Conejo Cotacachi Morocho"
)
KICHWA_FEMALE = names(
    "María|Rosa|Luz|Sisa|Tamya|Killa|Ñusta|Nina|Mercedes|Blanca|Zoila|Carmen|Inés|Dolores|Yolanda|Martha|"
    "Lucía|Verónica|Mayra|Jenny|Alexandra|Janeth|Rocío|Fanny|Nancy",
    "|",
)
KICHWA_MALE = names(
    "José|Manuel|Segundo|Luis|Rumiñahui|Atahualpa|Pacha|Yachak|Alfonso|Rafael|Humberto|Galo|Marco|Darwin|"
    "Byron|Wilson|Edison|Fausto|Patricio|Vinicio|Jorge|Ángel|César|Klever|Santiago",
    "|",
)

# ------------------------------------------------------------------ Guatemalan Maya (K'iche', Q'eqchi', Kaqchikel, Mam)
MAYA_SURNAMES = names(
    "Tzoc Xol Caal Choc Pop Coc Cux Tzul Ajú Chen Ixcoy Tax Xiloj Sicajá Coy Cac Tiul Maquín Chub Bol Quej "
    "Cuc Xuc Ical Batz Yat Tzunún Sajché Cumes Ixtabalán Chiyal Tum Xicay Ajanel Guarchaj Sucup Itzep "
    "Quiché Chanchavac Tecún Us Ixmucané Chajil Coj"
)
GT_SPANISH_SURNAMES = names(
    "López Pérez García Hernández González Ramírez Morales Gómez Díaz Cruz Mejía Méndez Juárez Chávez "
    "Velásquez Reyes Castillo Martínez Rodríguez Ajquijay Vásquez Ortiz Sánchez Cifuentes Pacay"
)
MAYA_FEMALE = names(
    "María|Rosa|Juana|Candelaria|Micaela|Ixchel|Manuela|Catarina|Petrona|Sebastiana|Rigoberta|Isabel|"
    "Magdalena|Francisca|Tomasa|Dominga|Lucía|Marta|Ana|Yesenia|Glendy|Heidy|Ingrid|Delmy|Sandra|Damaris|"
    "Wendy|Aracely|Kimberly|Yoselin",
    "|",
)
MAYA_MALE = names(
    "Juan|Pedro|Diego|Santos|Domingo|Francisco|Tomás|Gaspar|Sebastián|Cristóbal|Baltazar|Lorenzo|Nicolás|"
    "Mateo|Andrés|Marcos|Ixbalam|Byron|Selvin|Edgar|Brayan|Wilmer|Esvin|Kevin|Elder|Mynor|Otoniel|Hugo|"
    "Rony|Yoni",
    "|",
)

# ------------------------------------------------------------------ Central American Spanish (NI, CR, HN, SV)
CENTRAL_SURNAMES = names(
    "Hernández López García Martínez González Sánchez Rodríguez Flores Pérez Rivas Espinoza Gutiérrez "
    "Mendoza Téllez Jarquín Obando Chavarría Solís Vargas Jiménez Mora Rojas Alvarado Castillo Zeledón "
    "Aguirre Membreño Aráuz Zúñiga Calderón Quirós Ulate Brenes Campos Chacón Salazar Mairena Mercado Lanza "
    "Orozco Baltodano Cerdas Portillo Fonseca Amador Lacayo Dávila Barahona Argueta Cruz"
)
CENTRAL_FEMALE = names(
    "María|Karla|Yahaira|Scarleth|Dayana|Hazel|Fiorella|Ileana|Jazmín|Marbely|Xiomara|Rosa|Ana|Carmen|"
    "Mercedes|Dolores|Guadalupe|Teresa|Catalina|Natalia|Isabel|Yorleny|Kenia|Ericka|Reyna|Fátima|Sheyla|"
    "Lizbeth|Keyla|Nohelia",
    "|",
)
CENTRAL_MALE = names(
    "José|Carlos|Luis|Jorge|Francisco|Guillermo|Alberto|Jesús|Ernesto|Manuel|Ramón|Ronald|Kevin|Bayardo|"
    "Yader|Jairo|Melvin|Álvaro|Dagoberto|Róger|Fabián|Esteban|Josué|Óscar|Wilmer|Eliécer|Danilo|Marvin|"
    "Ariel|Maynor",
    "|",
)

# ------------------------------------------------------------------ Haitian (Kreyòl and French names)
HAITIAN_SURNAMES = names(
    "Jean Pierre Joseph Louis Charles Baptiste Jean-Baptiste François Michel Etienne Augustin Celestin "
    "Desir Dorvil Exantus Toussaint Fils-Aimé Thermidor Cadet Lafortune Petit-Frère Estimé Delva Jeune "
    "Alexis Paul Victor Noël Saint-Fleur Désiré Florestal Jacques Philogène Dorélien Bien-Aimé Merisier "
    "Moïse Innocent Clerveaux Fleurant Sylvain Lubin Vilsaint Décembre Jean-Louis Pierre-Louis Similien "
    "Dorméus Métellus Brutus Placide Raphaël Sanon Jean-Charles Derisier Lamour"
)
HAITIAN_FEMALE = names(
    "Marie|Widline|Nadège|Mirlande|Fabienne|Stéphanie|Guerline|Sabine|Roseline|Dieula|Merline|Lovely|"
    "Marie-Ange|Rose-Marie|Marie-Carmelle|Rose-Mirlande|Daphnée|Jessica|Nathalie|Wislande|Sherline|"
    "Chrisla|Fedeline|Bertha|Farah|Judeline|Nerlande|Vanessa|Esther|Myrlène",
    "|",
)
HAITIAN_MALE = names(
    "Jean|Wilner|Kervens|Woodley|Peterson|Jean-Robert|Jean-Claude|Djimy|Wilkens|Fritz|Jonas|Ricardo|"
    "Jean-Marc|Emmanuel|Stanley|Johnson|Widelson|Frantz|Reginald|Louis-Jean|Mackendy|Wisly|Kenson|"
    "Roodson|Evens|Samuel|Jameson|Dieunel|Lesly|Junior",
    "|",
)

# ------------------------------------------------------------------ Brazilian Portuguese
BRAZILIAN_SURNAMES = names(
    "Silva Santos Oliveira Souza Rodrigues Ferreira Alves Pereira Lima Gomes Costa Ribeiro Martins "
    "Carvalho Almeida Lopes Soares Fernandes Vieira Barbosa Rocha Dias Nascimento Andrade Moreira Nunes "
    "Marques Machado Mendes Freitas Cardoso Ramos Gonçalves Santana Teixeira Araújo Conceição Batista "
    "Cavalcanti Monteiro Correia Pinto Moura Cunha Xavier Brandão Aguiar Magalhães Assunção Pacheco"
)
# The particle each surname most often carries when it is written in full ("da Silva").
BRAZILIAN_PARTICLES = {
    "Silva": "da",
    "Santos": "dos",
    "Souza": "de",
    "Oliveira": "de",
    "Conceição": "da",
    "Assunção": "da",
    "Nascimento": "do",
    "Costa": "da",
    "Rocha": "da",
}
BRAZILIAN_FEMALE = names(
    "Maria|Ana|Ana Paula|Maria Eduarda|Jéssica|Thaís|Emilly|Kethellen|Fernanda|Beatriz|Isabela|Letícia|"
    "Vitória|Luciana|Gabriela|Camila|Larissa|Juliana|Francisca|Raimunda|Antônia|Adriana|Kauany|Yasmin|"
    "Rayssa|Thayná|Sabrina|Débora|Natália|Maria Clara",
    "|",
)
BRAZILIAN_MALE = names(
    "João|José|Antônio|Francisco|Lucas|Gabriel|Thiago|Wesley|Kauã|Guilherme|Rafael|Eduardo|Carlos "
    "Eduardo|Paulo|Luiz|João Pedro|Matheus|Vinícius|Raimundo|Sebastião|Davi|Pedro Henrique|Cauê|Emerson|"
    "Anderson|Cleiton|Jefferson|Rodrigo|Marcelo|Luan",
    "|",
)

# ------------------------------------------------------------------ Paraguayan (Spanish names, Guaraní speech)
PARAGUAYAN_SURNAMES = names(
    "González Benítez Martínez López Giménez Vera Duarte Ramírez Villalba Fernández Acosta Rojas Báez "
    "Gómez Ortiz Cáceres Ayala Franco Núñez Sosa Cabrera Ovelar Galeano Cardozo Paredes Insfrán Ojeda "
    "Aquino Escobar Maidana Zárate Almirón Riquelme Britez Meza Cantero Arévalos Sanabria Leiva Espínola "
    "Centurión Chamorro Alcaraz Florentín Fretes Mereles Cañete Samaniego Vázquez Torres"
)
PARAGUAYAN_FEMALE = names(
    "María|Liz|Rossana|Mirna|Nidia|Gladys|Zunilda|Fátima|Rocío|Lorena|Ramona|Carmen|Mabel|Sady|Noelia|"
    "Elva|Lilian|Perla|Fabiola|Estela|Griselda|Romina|Tamara|Araceli|Blanca|Jazmín|Nilda|Mirta|Celia|"
    "Yanina",
    "|",
)
PARAGUAYAN_MALE = names(
    "Juan|Derlis|Nery|Ever|Osmar|Blas|Celso|Ramón|Carlos|Hugo|Víctor|Gustavo|Rubén|Néstor|Édgar|Pablo|"
    "Arnaldo|Rodney|Fredy|Milciades|Aníbal|Cristhian|Richard|Sergio|Fidel|Atilio|Basilio|Teodoro|Ángel|"
    "Alcides",
    "|",
)

# ------------------------------------------------------------------ Puerto Rican
PUERTO_RICAN_SURNAMES = names(
    "Rivera Rodríguez Santiago Colón Torres Ortiz Díaz Cruz Vázquez Ramos Hernández Pérez Morales "
    "Figueroa Ayala Negrón Maldonado Quiñones Meléndez Reyes Acevedo Cintrón Rosario Velázquez Nieves "
    "Burgos Pagán Serrano Matos Irizarry Feliciano Arroyo Medina Rosa Alicea Báez Caraballo Vélez "
    "Ocasio Pabón Lebrón Santana Class Montañez Cotto Marrero Lugo Padilla Sepúlveda Quintana"
)
PUERTO_RICAN_FEMALE = names(
    "Yaritza|Xiomara|Kiara|Nashaly|Yamilet|Adrianna|Nicole|Carmen|Gladymar|Keishla|Yarelis|Coralys|"
    "Jennifer|Yesenia|Zuleyka|Marisol|Ivelisse|Brenda|Natalie|Alondra|Ashley|Yahaira|Glorimar|Mildred|"
    "Nilsa|Janelle|Dariana|Yolimar|Sheila|Wanda",
    "|",
)
PUERTO_RICAN_MALE = names(
    "Yadiel|Joshua|Jomar|Jayden|Luis|José|Ángel|Carlos|Héctor|Rafael|Yeiden|Xavier|Jeremy|Kelvin|Edwin|"
    "Christopher|Jonathan|Axel|Jadiel|Omar|Wilfredo|Fernando|Yamil|Derek|Eliezer|Giovanni|Orlando|Rubén|"
    "Noel|Misael",
    "|",
)

# Apodos: nicknames that are no form of the given name ("la Flaca", "el Chino"). A claim may list
# them as aliases; a witness may know nothing else.
# "Flaco/Flaca": the masculine and feminine forms; a form without "/" serves both.
SPANISH_APODOS = (
    "Flaco/Flaca",
    "Chino/China",
    "Negro/Negra",
    "Negrito/Negrita",
    "Gordo/Gorda",
    "Peque",
    "Güero/Güera",
    "Colocho/Colocha",
    "Chele",
    "Cholo/Chola",
    "Moreno/Morena",
    "Rubio/Rubia",
    "Mono/Mona",
    "Chato/Chata",
)
GUARANI_APODOS = ("Mita'i/Kuñataí", "Chiquito/Chiquita", "Pelusa", "Chipa", "Negro/Negra", "Ruso/Rusa", "Pombero")
HAITIAN_APODOS = ("Ti Boss", "Ti Nèg/Ti Fi", "Bebe", "Chouchou", "Tiloulou", "Boubou")
BRAZILIAN_APODOS = ("Neguinho/Neguinha", "Galego/Galega", "Baixinho/Baixinha", "Magrelo/Magrela", "Japa", "Nego/Nega")
ENGLISH_APODOS = ("Shorty", "Baby", "Flaco/Flaca", "Boricua", "Nene/Nena", "Papo", "Kiki")


POPULATIONS: dict[str, Population] = {
    "andean": Population(
        weight=26,
        home={"PE": 48, "BO": 40, "CL": 7, "AR": 5},
        routes={"PE": 30, "BO": 22, "CL": 20, "AR": 14, "BR": 8, "EC": 6},
        surnames=ANDEAN_SURNAMES,
        surname_s=1.05,
        female=ANDEAN_FEMALE,
        male=ANDEAN_MALE,
        given_s=0.9,
        two_given=0.45,
        convention="spanish",
        heights=(151, 163),
        apodos=SPANISH_APODOS,
        nations=("PE", "BO"),
    ),
    "kichwa": Population(
        weight=5,
        home={"EC": 90, "CO": 10},
        routes={"EC": 45, "CO": 25, "PE": 20, "CL": 10},
        surnames=KICHWA_SURNAMES,
        surname_s=0.85,
        female=KICHWA_FEMALE,
        male=KICHWA_MALE,
        given_s=0.85,
        two_given=0.5,
        convention="spanish",
        heights=(149, 161),
        apodos=SPANISH_APODOS,
        nations=("EC",),
    ),
    "maya": Population(
        weight=15,
        home={"GT": 86, "BZ": 7, "MX": 7},
        routes={"GT": 35, "MX": 40, "BZ": 10, "US": 10, "HN": 5},
        surnames=MAYA_SURNAMES,
        surname_s=0.85,
        second_surnames=GT_SPANISH_SURNAMES,
        second_share=0.45,
        female=MAYA_FEMALE,
        male=MAYA_MALE,
        given_s=0.95,
        two_given=0.5,
        convention="spanish",
        heights=(148, 160),
        apodos=SPANISH_APODOS,
        nations=("GT", "MX", "BZ"),
    ),
    "central": Population(
        weight=12,
        home={"NI": 35, "CR": 25, "HN": 22, "SV": 18},
        routes={"NI": 20, "CR": 25, "HN": 15, "SV": 10, "GT": 15, "MX": 15},
        surnames=CENTRAL_SURNAMES,
        surname_s=0.95,
        female=CENTRAL_FEMALE,
        male=CENTRAL_MALE,
        given_s=0.9,
        two_given=0.5,
        convention="spanish",
        heights=(155, 167),
        apodos=SPANISH_APODOS,
        nations=("NI", "CR", "HN", "SV"),
    ),
    "haitian": Population(
        weight=10,
        home={"HT": 50, "CL": 22, "DO": 16, "BR": 12},
        routes={"CL": 25, "BR": 20, "DO": 15, "MX": 15, "HT": 10, "PE": 8, "EC": 7},
        surnames=HAITIAN_SURNAMES,
        surname_s=0.8,
        female=HAITIAN_FEMALE,
        male=HAITIAN_MALE,
        given_s=0.85,
        two_given=0.3,
        convention="single",
        heights=(162, 174),
        married_form="replace",
        apodos=HAITIAN_APODOS,
        nations=("HT",),
    ),
    "brazilian": Population(
        weight=11,
        home={"BR": 82, "PY": 9, "BO": 9},
        routes={"BR": 45, "PY": 20, "BO": 15, "AR": 10, "PE": 10},
        surnames=BRAZILIAN_SURNAMES,
        surname_s=1.1,
        female=BRAZILIAN_FEMALE,
        male=BRAZILIAN_MALE,
        given_s=0.9,
        two_given=0.15,  # on top of the compound names in the lists (Ana Paula, João Pedro)
        convention="portuguese",
        heights=(160, 172),
        one_surname=0.2,
        married_form="append",
        apodos=BRAZILIAN_APODOS,
        nations=("BR",),
    ),
    "paraguayan": Population(
        weight=11,
        home={"PY": 82, "AR": 13, "BR": 5},
        routes={"PY": 35, "AR": 35, "BR": 20, "BO": 10},
        surnames=PARAGUAYAN_SURNAMES,
        surname_s=0.9,
        female=PARAGUAYAN_FEMALE,
        male=PARAGUAYAN_MALE,
        given_s=0.9,
        two_given=0.55,
        convention="spanish",
        heights=(157, 170),
        apodos=GUARANI_APODOS,
        nations=("PY",),
    ),
    "puerto_rican": Population(
        weight=10,
        home={"PR": 88, "US": 12},
        routes={"PR": 55, "US": 30, "DO": 15},
        surnames=PUERTO_RICAN_SURNAMES,
        surname_s=0.9,
        female=PUERTO_RICAN_FEMALE,
        male=PUERTO_RICAN_MALE,
        given_s=0.8,
        two_given=0.35,
        convention="spanish",
        heights=(160, 173),
        apodos=ENGLISH_APODOS,
        nations=("PR", "US"),
    ),
}

# The language a record is written in, by the country it is filed or seen in.
LANGUAGE = {
    "BR": "pt",
    "HT": "ht",
    "US": "en",
    "BZ": "en",
}  # everything else: Spanish

# ------------------------------------------------------------------ nicknames (hypocoristics)
# Given name (accents as written) -> the forms family and friends use. Sets of forms, one way only:
# the generator never needs to go back from a nickname to a name.
NICKNAMES: dict[str, tuple[str, ...]] = {
    # Andean and general Spanish
    "María": ("Mari", "Maruja", "Mery"),
    "Rosa": ("Rosita", "Rosi"),
    "Marisol": ("Mari", "Sol"),
    "Milagros": ("Mila", "Mili"),
    "Elizabeth": ("Eli", "Beth", "Chabela"),
    "Natividad": ("Nati",),
    "Soledad": ("Sole", "Chole"),
    "Fortunata": ("Fortu",),
    "Yessica": ("Yesi",),
    "Juana": ("Juanita",),
    "Beatriz": ("Bea", "Betty"),
    "Eulalia": ("Lala", "Lalita"),
    "Juan": ("Juancito", "Juancho"),
    "Wilber": ("Wil",),
    "Wilfredo": ("Wilo", "Fredy", "Willy"),
    "Alejandro": ("Ale", "Alejo", "Jano"),
    "Gumercindo": ("Gume",),
    "Gregorio": ("Goyo",),
    "Eduardo": ("Lalo", "Edu", "Dudu"),
    "Fernando": ("Fer", "Nando"),
    "Rodrigo": ("Rodri",),
    "Jhonatan": ("Jhona",),
    "Cristian": ("Cris",),
    "Teófilo": ("Teo",),
    "Marcelino": ("Chelo",),
    # Kichwa communities
    "Mercedes": ("Meche",),
    "Dolores": ("Lola", "Lolita"),
    "Segundo": ("Segundito",),
    "Manuel": ("Manolo", "Meme"),
    "Humberto": ("Beto",),
    "Patricio": ("Pato",),
    "Alexandra": ("Ale", "Alex"),
    # Maya and Central American
    "Candelaria": ("Cande", "Candy"),
    "Micaela": ("Mica",),
    "Petrona": ("Petro",),
    "Sebastiana": ("Chana", "Bastiana"),
    "Francisca": ("Pancha", "Chica"),
    "Tomasa": ("Masa",),
    "Magdalena": ("Malena", "Nena"),
    "Domingo": ("Mingo",),
    "Francisco": ("Chico", "Pancho", "Chilo"),
    "Tomás": ("Tomasito",),
    "Cristóbal": ("Toba",),
    "Sebastián": ("Chepe", "Bastián"),
    "Nicolás": ("Colacho", "Nico"),
    "José": ("Chepe", "Chema", "Cheo", "Pepe"),
    "Guillermo": ("Memo",),
    "Alberto": ("Beto",),
    "Jesús": ("Chuy", "Chucho"),
    "Ernesto": ("Neto",),
    "Ramón": ("Moncho",),
    "Guadalupe": ("Lupe", "Lupita"),
    "Teresa": ("Tere",),
    "Catalina": ("Cata",),
    "Natalia": ("Naty",),
    "Isabel": ("Chabe", "Isa"),
    "Carmen": ("Carmencita", "Mimi"),
    "Luis": ("Wicho", "Lucho"),
    "Carlos": ("Carlitos", "Calín"),
    "Jorge": ("Coco",),
    "Óscar": ("Cayo",),
    # Haitian
    "Marie-Ange": ("Ti Ange", "Angie"),
    "Marie-Carmelle": ("Carmelle", "Mamelle"),
    "Rose-Marie": ("Rosemie", "Ti Rose"),
    "Rose-Mirlande": ("Mirlande", "Ti Rose"),
    "Roseline": ("Rose", "Roro"),
    "Nadège": ("Nana",),
    "Fabienne": ("Fafa", "Fabi"),
    "Stéphanie": ("Fanfan", "Steph"),
    "Daphnée": ("Dada",),
    "Widline": ("Wid", "Lili"),
    "Jean-Robert": ("Bobby", "Ti Robert"),
    "Jean-Claude": ("Claudy", "Ti Claude"),
    "Jean-Marc": ("Marco",),
    "Wilner": ("Will",),
    "Woodley": ("Woody",),
    "Kervens": ("Kerv",),
    "Peterson": ("Pet", "Peter"),
    "Emmanuel": ("Manno", "Manu"),
    "Frantz": ("Franco",),
    # Brazilian
    "João": ("Joãozinho", "Jão"),
    "Antônio": ("Toninho", "Tonho"),
    "Maria Eduarda": ("Duda", "Dudinha"),
    "Gabriel": ("Biel",),
    "Rafael": ("Rafa", "Rafi"),
    "Fernanda": ("Nanda", "Nandinha"),
    "Isabela": ("Bela", "Isa"),
    "Guilherme": ("Gui",),
    "Vitória": ("Vivi", "Vitorinha"),
    "Letícia": ("Lelê", "Leti"),
    "Luciana": ("Lu", "Lulu"),
    "Carlos Eduardo": ("Cadu",),
    "Paulo": ("Paulinho",),
    "Sebastião": ("Tião",),
    "Raimundo": ("Mundinho",),
    "Raimunda": ("Mundinha",),
    "Maria Clara": ("Clarinha",),
    "Pedro Henrique": ("PH", "Pedrinho"),
    "Thiago": ("Thi",),
    "Camila": ("Mila", "Cami"),
    "Gabriela": ("Gabi",),
    # Paraguayan: Spanish short forms and the Guaraní diminutive -í (an assumption of this benchmark)
    "Ramona": ("Mona", "Monchí"),
    "Gladys": ("Gla",),
    "Rocío": ("Chio",),
    "Derlis": ("Derli",),
    "Celso": ("Celsí",),
    "Blas": ("Blasí",),
    "Pablo": ("Pablí", "Pablito"),
    "Griselda": ("Gri", "Chela"),
    "Milciades": ("Milcí",),
    "Teodoro": ("Teo", "Lolo"),
    "Basilio": ("Chilo",),
    "Liz": ("Lichi",),
    # Puerto Rican
    "Yadiel": ("Yayi",),
    "Xiomara": ("Xio", "Mara"),
    "Jomar": ("Jomi",),
    "Kiara": ("Kiki",),
    "Joshua": ("Josh",),
    "Yaritza": ("Yari",),
    "Jayden": ("Jay",),
    "Nashaly": ("Nashi",),
    "Héctor": ("Tito",),
    "Christopher": ("Chris",),
    "Jonathan": ("Jonny", "Jon"),
    "Glorimar": ("Glori",),
    "Ivelisse": ("Ive",),
}

# ------------------------------------------------------------------ heard-name spellings
# Whole names a Spanish-speaking witness or officer writes for a Haitian (French or Kreyòl) name she
# heard, and the Kreyòl orthography itself (Jozèf, Pyè, Lwi).
HAITIAN_HEARD: dict[str, tuple[str, ...]] = {
    "Jean": ("Yan", "Llan", "Shan", "Jan", "Yean"),
    "Pierre": ("Pier", "Pierr", "Pyè", "Pie"),
    "Joseph": ("Yosef", "Jozef", "Josef", "Jozèf"),
    "Louis": ("Lui", "Luis", "Lwi", "Luí"),
    "Jacques": ("Yak", "Jak", "Jack"),
    "Baptiste": ("Batis", "Batist", "Bautista"),
    "Charles": ("Charl", "Sharl", "Chal"),
    "Michel": ("Mishel", "Michell", "Michelle"),
    "Celestin": ("Selesten", "Selestin", "Celestine"),
    "Desir": ("Desi", "Dezir", "Desire"),
    "Désiré": ("Desire", "Dezire", "Desiree"),
    "Exantus": ("Eksantis", "Exantis", "Esantus"),
    "Etienne": ("Etien", "Etyèn", "Etiene"),
    "Toussaint": ("Tusen", "Tousen", "Tusan"),
    "François": ("Fransua", "Franswa", "Francoa"),
    "Augustin": ("Ogusten", "Ogistin", "Agusten"),
    "Jeune": ("Jen", "Yeun", "Yen"),
    "Dorvil": ("Dorvi", "Dorbil", "Dorvill"),
    "Thermidor": ("Termidor", "Termido"),
    "Cadet": ("Kadé", "Cadé", "Kadet"),
    "Alexis": ("Aleksi", "Alexi"),
    "Estimé": ("Estime", "Estimer", "Estimet"),
    "Lafortune": ("La Fortune", "Lafortun"),
    "Merisier": ("Merisie", "Merizié"),
    "Moïse": ("Moiz", "Moises", "Mois"),
    "Clerveaux": ("Clervo", "Klèvo"),
    "Widline": ("Guidlin", "Widlin", "Uidlin"),
    "Woodley": ("Gudli", "Wudli", "Woodly"),
    "Kervens": ("Kerven", "Querven", "Kervin"),
    "Wilner": ("Guilner", "Vilner", "Wilnè"),
    "Nadège": ("Nadej", "Nadesh", "Nadeg"),
    "Mirlande": ("Mirland", "Mirlan"),
    "Fabienne": ("Fabien", "Fabienn"),
    "Stéphanie": ("Estefani", "Stefani"),
    "Peterson": ("Pederson", "Piterson"),
    "Marie": ("Mari", "María"),
    "Guerline": ("Gerlin", "Guerlin"),
    "Djimy": ("Yimi", "Jimmy", "Dimi"),
    "Wilkens": ("Guilkens", "Wilken"),
    "Lovely": ("Lovli", "Lobli"),
    "Dieula": ("Diela", "Dyela"),
    "Merline": ("Merlin",),
    "Roseline": ("Roslin", "Rosalín"),
    "Wislande": ("Guislan", "Wislan"),
    "Jonas": ("Yonas", "Jona"),
    "Evens": ("Evans", "Even"),
}

# Sound-alike respellings as rules (regular expression on the lower-case word, replacements).
# Each community's names are respelled with the rules of the way they are heard.
SPANISH_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("z", ("s",)),
    ("c(?=[ei])", ("s", "z")),
    ("s", ("z",)),
    ("ll", ("y",)),
    ("y(?=[aeiou])", ("ll",)),
    ("v", ("b",)),
    ("b", ("v",)),
    ("^h", ("",)),
    ("^(?=[ou])", ("h",)),
    ("x", ("j", "s")),
    ("j(?=[ei])", ("g",)),
    ("g(?=[ei])", ("j",)),
    ("rr", ("r",)),
)
QUECHUA_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("qu(?=[ei])", ("k", "q")),
    ("hua", ("wa", "gua")),
    ("gua", ("wa", "hua")),
    ("hu(?=[aeio])", ("w",)),
    ("c(?=[aou])", ("k",)),
    ("cc", ("q", "k")),
    ("e", ("i",)),
    ("o", ("u",)),
    ("que", ("qi", "ki")),
    ("ch", ("chh",)),
    ("ll", ("lly", "y")),
)
KICHWA_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("gu(?=[aeio])", ("w", "hu")),
    ("hu(?=[aeio])", ("w", "gu")),
    ("ñ", ("ni", "n")),
    ("qu", ("k",)),
    ("c(?=[aou])", ("k",)),
    ("x", ("sh", "j")),
    ("e", ("i",)),
    ("o", ("u",)),
)
MAYA_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("x", ("sh", "ch", "j")),
    ("tz", ("ts", "z", "s")),
    ("c(?=[aou])", ("k",)),
    ("qu(?=[ei])", ("k",)),
    ("'", ("",)),
    ("aa", ("a",)),
    ("oo", ("o",)),
    ("j", ("h",)),
    ("c$", ("k",)),
    ("ch", ("tch", "sh")),
)
PORTUGUESE_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ão", ("an", "ao", "on")),
    ("ç", ("s", "z")),
    ("lh", ("ll", "li")),
    ("nh", ("ñ", "ni")),
    ("th", ("t",)),
    ("ss", ("s",)),
    ("ou", ("o",)),
    ("e$", ("i",)),
    ("x", ("sh", "ch")),
    ("^j", ("y", "ll")),
    ("ei", ("e",)),
)
GUARANI_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("^j", ("g", "x", "y")),
    ("^g(?=[ei])", ("j",)),
    ("ll", ("y", "j")),
    ("z$", ("s",)),
    ("c(?=[ei])", ("s",)),
    ("ns", ("s",)),
    ("v", ("b",)),
    ("b", ("v",)),
    ("í$", ("i", "y")),
)
ENGLISH_SPANISH_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("^y", ("j", "ll")),
    ("^j", ("y", "g")),
    ("^x", ("s", "ch")),
    ("sh", ("ch",)),
    ("ch", ("sh",)),
    ("y$", ("ie", "i")),
    ("ie$", ("y", "i")),
    ("k", ("c", "qu")),
    ("ñ", ("n", "ny")),
    ("([lnrs])", (r"\1\1",)),
    ("ph", ("f",)),
)
RULES_BY_POPULATION = {
    "andean": QUECHUA_RULES + SPANISH_RULES,
    "kichwa": KICHWA_RULES + SPANISH_RULES,
    "maya": MAYA_RULES + SPANISH_RULES,
    "central": SPANISH_RULES,
    "haitian": SPANISH_RULES,  # after HAITIAN_HEARD, for names it does not list
    "brazilian": PORTUGUESE_RULES,
    "paraguayan": GUARANI_RULES + SPANISH_RULES,
    "puerto_rican": ENGLISH_SPANISH_RULES + SPANISH_RULES,
}

# Given names are mostly Spanish even where surnames are Quechua, Kichwa or Maya: they are heard
# with the Spanish rules. Elsewhere given names and surnames share a language.
GIVEN_RULES_BY_POPULATION = {
    **RULES_BY_POPULATION,
    "andean": SPANISH_RULES,
    "kichwa": SPANISH_RULES,
    "maya": SPANISH_RULES,
}

# ------------------------------------------------------------------ phone keyboards
# Neighbouring keys on a QWERTY phone keyboard (Spanish and Portuguese layouts share the letters).
KEY_ROWS = ("qwertyuiop", "asdfghjklñ", "zxcvbnm")


def key_neighbours() -> dict[str, str]:
    """Each letter's neighbours on the same row and the rows above and below."""
    out: dict[str, str] = {}
    for r, row in enumerate(KEY_ROWS):
        for i, ch in enumerate(row):
            near = [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)]
            for other in (r - 1, r + 1):
                if 0 <= other < len(KEY_ROWS):
                    near += [KEY_ROWS[other][j] for j in (i - 1, i) if 0 <= j < len(KEY_ROWS[other])]
            out[ch] = "".join(near)
    return out


# ------------------------------------------------------------------ places and documents
PLACES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "PE": (
        ("Lima", ("San Juan de Lurigancho", "Comas", "Villa El Salvador", "Ate", "La Victoria")),
        ("Juliaca", ("Santa Adriana", "La Rinconada")),
        ("Puno", ("Alto Puno", "Salcedo")),
        ("Cusco", ("Wanchaq", "Santiago", "San Sebastián")),
        ("Tacna", ("Ciudad Nueva", "Alto de la Alianza")),
        ("Puerto Maldonado", ("Tambopata", "Mazuko")),
    ),
    "BO": (
        ("El Alto", ("Distrito 4", "Senkata", "Villa Adela", "Río Seco")),
        ("La Paz", ("Max Paredes", "Sopocachi", "Villa Fátima")),
        ("Cochabamba", ("La Cancha", "Quillacollo")),
        ("Santa Cruz de la Sierra", ("Plan 3000", "Villa Primero de Mayo")),
        ("Oruro", ("Norte", "Vinto")),
        ("Riberalta", ("Centro",)),
    ),
    "EC": (
        ("Quito", ("La Ferroviaria", "Chillogallo", "Calderón")),
        ("Otavalo", ("Peguche", "Centro")),
        ("Riobamba", ("Lican", "Yaruquíes")),
        ("Guayaquil", ("Bastión Popular", "Guasmo")),
        ("Cotacachi", ("Quiroga",)),
    ),
    "CO": (("Ipiales", ("Centro",)), ("Pasto", ("Centro", "Aranda")), ("Leticia", ("Centro",))),
    "CL": (
        ("Santiago", ("Estación Central", "Quilicura", "La Pintana", "Independencia")),
        ("Arica", ("Cerro Chuño", "Centro")),
        ("Iquique", ("Alto Hospicio", "Centro")),
        ("Antofagasta", ("La Chimba", "Centro")),
        ("Calama", ("Centro",)),
    ),
    "AR": (
        ("Buenos Aires", ("Villa 31", "Flores", "Constitución", "Once")),
        ("Salta", ("Centro",)),
        ("San Salvador de Jujuy", ("Alto Comedero",)),
        ("Posadas", ("Centro",)),
    ),
    "BR": (
        ("São Paulo", ("Brás", "Bom Retiro", "Guaianases")),
        ("Rio de Janeiro", ("Maré", "Rocinha")),
        ("Foz do Iguaçu", ("Centro", "Vila A")),
        ("Corumbá", ("Centro",)),
        ("Manaus", ("Cidade Nova", "Compensa")),
        ("Boa Vista", ("Pintolândia",)),
    ),
    "PY": (
        ("Asunción", ("Bañado Sur", "Chacarita", "Sajonia")),
        ("Ciudad del Este", ("Área 1", "San Rafael")),
        ("Encarnación", ("Centro",)),
        ("Pedro Juan Caballero", ("Centro",)),
        ("Luque", ("Centro",)),
    ),
    "GT": (
        ("Ciudad de Guatemala", ("Zona 18", "Zona 7", "Zona 1")),
        ("Quetzaltenango", ("Zona 3",)),
        ("Cobán", ("Centro",)),
        ("Huehuetenango", ("Centro",)),
        ("Tecún Umán", ("Centro",)),
        ("Sololá", ("Centro",)),
    ),
    "MX": (
        ("Tapachula", ("Centro",)),
        ("Ciudad Hidalgo", ("Centro",)),
        ("Cancún", ("Región 94",)),
        ("Monterrey", ("Independencia",)),
        ("Tijuana", ("Zona Norte",)),
    ),
    "BZ": (
        ("Belize City", ("Southside", "Northside")),
        ("Punta Gorda", ("Town",)),
        ("San Ignacio", ("Santa Elena",)),
        ("Orange Walk", ("Town",)),
    ),
    "HN": (("San Pedro Sula", ("Chamelecón", "Rivera Hernández")), ("Tegucigalpa", ("Comayagüela",))),
    "SV": (("San Salvador", ("Soyapango", "Mejicanos")), ("Santa Ana", ("Centro",))),
    "NI": (
        ("Managua", ("Distrito VI", "Ciudad Sandino")),
        ("León", ("Sutiava",)),
        ("Chinandega", ("Centro",)),
        ("Estelí", ("Centro",)),
    ),
    "CR": (
        ("San José", ("Pavas", "La Carpio", "Hatillo")),
        ("Limón", ("Centro",)),
        ("Puntarenas", ("Chacarita",)),
        ("Upala", ("Centro",)),
    ),
    "HT": (
        ("Port-au-Prince", ("Carrefour", "Delmas", "Pétion-Ville", "Cité Soleil")),
        ("Cap-Haïtien", ("Centre",)),
        ("Les Cayes", ("Centre",)),
        ("Gonaïves", ("Raboteau",)),
        ("Ouanaminthe", ("Centre",)),
    ),
    "DO": (
        ("Santo Domingo", ("Los Alcarrizos", "Villa Mella")),
        ("Dajabón", ("Centro",)),
        ("Santiago", ("Cienfuegos",)),
    ),
    "PR": (
        ("San Juan", ("Río Piedras", "Santurce", "Caimito")),
        ("Bayamón", ("Santa Rosa",)),
        ("Carolina", ("Loíza Valley",)),
        ("Ponce", ("Centro",)),
        ("Mayagüez", ("Centro",)),
        ("Caguas", ("Centro",)),
    ),
    "US": (("Orlando", ("Buenaventura Lakes",)), ("New York", ("Bronx",)), ("Houston", ("Gulfton",))),
}

# National identity documents as written in each country: a pattern of digits (9), letters (A) and
# the separators people type; the engine may fold the separators away.
DOCUMENT_PATTERNS = {
    "PE": "99999999",
    "BO": "9999999",
    "EC": "9999999999",
    "CO": "9999999999",
    "CL": "99.999.999-9",
    "AR": "99.999.999",
    "BR": "999.999.999-99",
    "PY": "9.999.999",
    "GT": "9999 99999 9999",
    "MX": "AAAA999999AAAAAA99",
    "BZ": "999999999",
    "HN": "9999-9999-99999",
    "SV": "99999999-9",
    "NI": "999-999999-9999A",
    "CR": "9-9999-9999",
    "HT": "999-999-999-9",
    "DO": "999-9999999-9",
    "PR": "",  # no national identity card: claims carry none
    "US": "",
}
