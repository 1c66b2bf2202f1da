"""Frequency tables for the synthetic claims benchmark (bench/generate.py).

All people generated from these tables are invented.  Each list is ordered
from most to least frequent; the generator samples it with Zipf-like weights
(rank ** -s), so the first entries (Mamani, Quispe, María, José...) dominate,
as they do in real Andean and Central American registries.
"""
from __future__ import annotations

COUNTRIES = ["BO", "PE", "CL", "EC", "GT", "NI", "CR", "BZ", "PR"]

# Share of claims first filed in each country.
COUNTRY_WEIGHTS = {"BO": 22, "PE": 24, "CL": 8, "EC": 10, "GT": 14, "NI": 7, "CR": 5, "BZ": 4, "PR": 6}

# Where a duplicate claim (or a sighting) of someone from a country tends to be filed.
NEIGHBOURS = {
    "BO": ["PE", "CL", "PE", "BO"],
    "PE": ["BO", "EC", "CL", "BO"],
    "CL": ["PE", "BO"],
    "EC": ["PE", "PE", "CL"],
    "GT": ["BZ", "NI", "BZ", "CR"],
    "NI": ["CR", "CR", "GT"],
    "CR": ["NI", "NI", "PR"],
    "BZ": ["GT", "GT", "NI"],
    "PR": ["CR", "GT"],
}

# --- surnames --------------------------------------------------------------
ANDEAN_SURNAMES = [
    "Mamani", "Quispe", "Condori", "Choque", "Huanca", "Ticona", "Apaza", "Chambi",
    "Colque", "Limachi", "Poma", "Yupanqui", "Huamán", "Ccama", "Cutipa", "Laura",
    "Chura", "Callisaya", "Coaquira", "Nina", "Machaca", "Tarqui", "Copa", "Aruquipa",
    "Huallpa", "Cusi", "Calle", "Pari", "Vilca", "Quisbert", "Alanoca", "Ayala",
    "Huarachi", "Mayta", "Ninaja", "Patzi", "Ramos", "Sirpa", "Tola", "Yujra",
    "Ccori", "Huaman", "Cahuana", "Chuquimia", "Llanque", "Paucara", "Tintaya", "Villca",
]
SPANISH_SURNAMES = [
    "Flores", "García", "Rodríguez", "López", "Gutiérrez", "Rojas", "Vargas", "Cruz",
    "Pérez", "González", "Martínez", "Sánchez", "Ramírez", "Torres", "Mendoza", "Hernández",
    "Díaz", "Morales", "Castillo", "Chávez", "Jiménez", "Ruiz", "Álvarez", "Romero",
    "Fernández", "Gómez", "Vásquez", "Herrera", "Medina", "Aguilar", "Castro", "Ortiz",
    "Guzmán", "Salazar", "Núñez", "Silva", "Reyes", "Espinoza", "Soto", "Muñoz",
    "Benítez", "Cáceres", "Villanueva", "Zapata", "Velásquez", "Valencia", "Cabrera", "Paredes",
    "Gonzales", "Suárez", "Villarroel", "Zambrana", "Quiroga", "Cortez", "Arce", "Zeballos",
    "Bustillos", "Ibáñez", "Sevilla", "Valdivia", "Llanos", "Yáñez", "Sosa", "Ávila",
]
MAYA_SURNAMES = [
    "Xicará", "Tzoc", "Cux", "Ajanel", "Coj", "Tzul", "Batz", "Chex", "Tuy", "Xuc",
    "Choc", "Caal", "Pop", "Tot", "Ixcoy", "Sicán", "Cumes", "Quiej", "Tum", "Ajú",
    "Chiquín", "Xol", "Maquín", "Bol", "Cuc", "Saquic", "Yax", "Ixquiactap", "Xitumul", "Ajcac",
]
CREOLE_SURNAMES = [
    "Young", "Gillett", "Flowers", "Williams", "Smith", "Gentle", "Usher", "Lewis",
    "Tillett", "Castillo", "Garbutt", "Bennett", "Hyde", "Martinez", "Arnold", "Neal",
    "Augustine", "Cayetano", "Nunez", "Lopez", "Jones", "Thompson", "Brown", "Palacio",
    "Moody", "Reneau", "Staine", "Baptist", "Lino", "Ramclam",
]

# (pool, weight) mixtures per country.
SURNAME_POOLS = {
    "BO": [(ANDEAN_SURNAMES, 62), (SPANISH_SURNAMES, 38)],
    "PE": [(ANDEAN_SURNAMES, 48), (SPANISH_SURNAMES, 52)],
    "CL": [(SPANISH_SURNAMES, 85), (ANDEAN_SURNAMES, 15)],
    "EC": [(SPANISH_SURNAMES, 70), (ANDEAN_SURNAMES, 30)],
    "GT": [(MAYA_SURNAMES, 45), (SPANISH_SURNAMES, 55)],
    "NI": [(SPANISH_SURNAMES, 100)],
    "CR": [(SPANISH_SURNAMES, 100)],
    "BZ": [(CREOLE_SURNAMES, 55), (SPANISH_SURNAMES, 30), (MAYA_SURNAMES, 15)],
    "PR": [(SPANISH_SURNAMES, 100)],
}

# --- given names -----------------------------------------------------------
GIVEN_F = [
    "María", "Ana", "Rosa", "Juana", "Carmen", "Luz", "María José", "María de los Ángeles",
    "Gabriela", "Ximena", "Yessica", "Guadalupe", "Fernanda", "Daniela", "Valeria", "Camila",
    "Sofía", "Andrea", "Paola", "Lucía", "Milagros", "Noemí", "Maribel", "Wendy",
    "Evelyn", "Yolanda", "Nelly", "Marisol", "Silvia", "Elizabeth", "Jhoselin", "Karen",
    "Dayana", "Ana Lucía", "María Elena", "Rosa María", "Luz Marina", "María Fernanda",
    "Alejandra", "Rosario", "Dolores", "Mercedes", "Consuelo", "Josefina", "Valentina", "Beatriz",
    "Yanet", "Roxana", "Zulema", "Brenda", "Lizbeth", "Mayra", "Vanessa", "Yesenia",
    "Jimena", "Belén", "Inés", "Nayeli", "Abigail", "Esther", "Verónica", "Leydi",
]
GIVEN_M = [
    "José", "Juan", "Luis", "Carlos", "Jorge", "Jesús", "José Luis", "Juan Carlos",
    "Francisco", "Wilmer", "Edwin", "Freddy", "Marco Antonio", "Juan José", "Miguel Ángel", "Alberto",
    "Roberto", "Eduardo", "Alejandro", "Fernando", "Rodrigo", "Diego", "Kevin", "Brayan",
    "Jhon", "Elvis", "Richard", "Álvaro", "Ronald", "Reynaldo", "Efraín", "Héctor",
    "Antonio", "Ignacio", "Enrique", "Manuel", "Guillermo", "Ramón", "Santiago", "Mateo",
    "Wilson", "Víctor", "Rubén", "Javier", "Sergio", "Henry", "Limbert", "Grover",
    "Yerson", "Jhonatan", "Nelson", "Darwin", "Óscar", "Iván", "Cristian", "Abel",
]
GIVEN_EN_F = [
    "Shanice", "Keisha", "Jennifer", "Ashley", "Michelle", "Kimberly", "Tiffany", "Shantel",
    "Destiny", "Jasmine", "Crystal", "Brittany", "Samantha", "Elizabeth", "Tanisha", "Alicia",
]
GIVEN_EN_M = [
    "Kevin", "Jason", "Michael", "Andre", "Dwayne", "Marlon", "Shawn", "Kenrick",
    "Darnell", "Jamal", "Brandon", "Trevor", "Delroy", "Anthony", "Christopher", "Richard",
]
GIVEN_MAYA_F = ["Ixchel", "Nikte", "Sak", "Ixmucané"]
GIVEN_MAYA_M = ["Tecún", "Kukulkan", "Balam", "Ajpop"]

GIVEN_POOLS = {
    "F": {
        "default": [(GIVEN_F, 100)],
        "GT": [(GIVEN_F, 94), (GIVEN_MAYA_F, 6)],
        "BZ": [(GIVEN_EN_F, 60), (GIVEN_F, 40)],
        "PR": [(GIVEN_F, 85), (GIVEN_EN_F, 15)],
    },
    "M": {
        "default": [(GIVEN_M, 100)],
        "GT": [(GIVEN_M, 94), (GIVEN_MAYA_M, 6)],
        "BZ": [(GIVEN_EN_M, 60), (GIVEN_M, 40)],
        "PR": [(GIVEN_M, 85), (GIVEN_EN_M, 15)],
    },
}

# Hard negatives: full names that many different people share.
VERY_COMMON_FULL_NAMES = {
    "BO": [("F", "María", "Mamani", "Quispe"), ("F", "Juana", "Quispe", "Mamani"),
           ("M", "Juan", "Mamani", "Condori"), ("M", "José Luis", "Quispe", "Choque"),
           ("F", "María", "Condori", "Mamani")],
    "PE": [("F", "María", "Quispe", "Mamani"), ("F", "Rosa", "Huamán", "Quispe"),
           ("M", "Juan Carlos", "Quispe", "Flores"), ("F", "María", "Mamani", "Quispe")],
    "GT": [("F", "María", "Xicará", "Tzoc"), ("M", "José", "Coj", "Cux"),
           ("F", "Ana", "García", "López")],
    "EC": [("F", "María José", "Rodríguez", "García")],
    "NI": [("M", "José", "López", "García")],
}

# Nicknames: sets of variants (Beto may be Alberto or Roberto).
NICKNAMES = {
    "Guadalupe": ["Lupe", "Lupita"], "José": ["Pepe", "Chepe"], "Francisco": ["Paco", "Pancho"],
    "María José": ["Majo"], "Jesús": ["Chuy", "Chucho"], "Alberto": ["Beto"], "Roberto": ["Beto", "Tito"],
    "Eduardo": ["Lalo"], "Alejandro": ["Alex", "Ale"], "Alejandra": ["Ale", "Alex"],
    "Fernando": ["Nando", "Fer"], "Fernanda": ["Fer"], "María Fernanda": ["Mafer", "Fer"],
    "Gabriela": ["Gaby"], "Daniela": ["Dani"], "Rosa": ["Rosita"], "Juan": ["Juanito"],
    "Luis": ["Lucho"], "José Luis": ["Pepe", "Joselo", "Lucho"], "Juan Carlos": ["Juanca", "Juancho"],
    "María de los Ángeles": ["Marielos", "Angie"], "Antonio": ["Toño"], "Marco Antonio": ["Toño", "Marco"],
    "Ignacio": ["Nacho"], "Enrique": ["Quique"], "Manuel": ["Manolo", "Meme"], "Dolores": ["Lola"],
    "Mercedes": ["Meche"], "Consuelo": ["Chelo"], "Rosario": ["Charo"], "Josefina": ["Fina", "Pepita"],
    "Guillermo": ["Memo"], "Ramón": ["Moncho"], "Santiago": ["Santi"], "Elizabeth": ["Eli", "Betty"],
    "Jennifer": ["Jenny"], "Michael": ["Mike"], "Kimberly": ["Kim"], "Ximena": ["Xime"],
    "Valentina": ["Vale"], "Sofía": ["Sofi"], "Marisol": ["Mari", "Marisolcita"], "María": ["Mari", "Maruja"],
    "Miguel Ángel": ["Miguelito", "Miki"], "Juan José": ["Juanjo"], "Carmen": ["Menchu", "Carmencita"],
    "Jorge": ["Coco"], "Ana Lucía": ["Analú"], "Beatriz": ["Bety"], "Abigail": ["Abi"],
    "Christopher": ["Chris"], "Anthony": ["Tony"], "Samantha": ["Sam"], "Óscar": ["Oscarín"],
}

# Whole-name spelling variants (phonetic, as written by another registry).
SPELLING_VARIANTS = {
    "Quispe": ["Kispe", "Quespe"], "Huanca": ["Wanka", "Guanca", "Huanka"], "Mamani": ["Mamany"],
    "Condori": ["Kondori", "Condory"], "Choque": ["Choke", "Chuqui"], "Huamán": ["Guamán", "Waman", "Huaman"],
    "Ticona": ["Tikona"], "Apaza": ["Apasa"], "Chambi": ["Champi"], "Colque": ["Kolque", "Qolque"],
    "Ccama": ["Cama", "Qama"], "Huallpa": ["Wallpa", "Gualpa"], "Yupanqui": ["Yupanki"],
    "Ximena": ["Jimena"], "Jimena": ["Ximena"], "Yessica": ["Jessica", "Yesica"], "Wilmer": ["Vilmer", "Wilmar"],
    "Jhoselin": ["Joselin", "Yoselin", "Joselyn"], "Brayan": ["Brian", "Bryan"], "Jhon": ["John", "Jon"],
    "Jhonatan": ["Jonathan", "Jonatan"], "Yerson": ["Jerson"], "Leydi": ["Lady", "Leidy"],
    "Xicará": ["Sicará", "Xicara"], "Tzoc": ["Tsoc", "Zoc"], "Cux": ["Cush", "Kux"], "Coj": ["Cój", "Koj"],
    "Ajanel": ["Ajanél", "Ajanell"], "Tzul": ["Tsul"], "Caal": ["Cal"], "Xol": ["Shol"],
    "Vásquez": ["Vázquez", "Basquez"], "Velásquez": ["Velázquez", "Belasquez"], "Gonzales": ["González"],
    "González": ["Gonzales"], "Yáñez": ["Llañez", "Yanes"], "Zeballos": ["Ceballos", "Seballos"],
    "Llanos": ["Yanos"], "Sevilla": ["Sebilla", "Seviya"], "Villca": ["Vilca", "Bilca"], "Vilca": ["Villca"],
    "Hernández": ["Ernández"], "Herrera": ["Errera"], "Guzmán": ["Gusmán"], "Cortez": ["Cortés"],
    "Benítez": ["Benítes", "Venítez"], "Valencia": ["Balencia"], "Zambrana": ["Sambrana"],
}

# --- places ----------------------------------------------------------------
PLACES = {
    "BO": [("El Alto", [f"Distrito {i}" for i in range(1, 15)] + ["Villa Adela", "Senkata", "Ciudad Satélite"]),
           ("La Paz", ["Sopocachi", "Miraflores", "Villa Fátima", "Zona Sur", "Max Paredes"]),
           ("Cochabamba", ["Cercado", "Zona Sur", "Quillacollo"]),
           ("Santa Cruz de la Sierra", ["Plan 3000", "Villa Primero de Mayo", "Equipetrol", "Pampa de la Isla"]),
           ("Oruro", ["Zona Norte", "Zona Sur"]), ("Potosí", ["Centro"]), ("Sucre", ["Zona Alta"])],
    "PE": [("Lima", ["San Juan de Lurigancho", "Comas", "Villa El Salvador", "Ate", "La Victoria"]),
           ("Puno", ["Barrio Bellavista", "Centro"]), ("Juliaca", ["La Rinconada", "Centro"]),
           ("Cusco", ["Wanchaq", "Santiago", "San Sebastián"]), ("Arequipa", ["Cerro Colorado", "Paucarpata"]),
           ("Tacna", ["Ciudad Nueva", "Gregorio Albarracín"]), ("Madre de Dios", ["Puerto Maldonado", "La Pampa"])],
    "CL": [("Santiago", ["Estación Central", "Puente Alto", "Maipú", "La Pintana"]), ("Arica", ["Centro"]),
           ("Iquique", ["Alto Hospicio"]), ("Antofagasta", ["La Chimba"]), ("Calama", ["Villa Ayquina"])],
    "EC": [("Quito", ["Chillogallo", "La Magdalena", "Carcelén"]), ("Guayaquil", ["Guasmo", "Bastión Popular"]),
           ("Cuenca", ["El Vecino"]), ("Machala", ["Centro"]), ("Otavalo", ["Centro"])],
    "GT": [("Ciudad de Guatemala", ["Zona 1", "Zona 18", "Zona 7", "Zona 21"]), ("Quetzaltenango", ["Zona 3", "Zona 1"]),
           ("Huehuetenango", ["Zona 5"]), ("Cobán", ["Centro"]), ("Sololá", ["Centro"]),
           ("Totonicapán", ["Centro"]), ("Chichicastenango", ["Centro"]), ("Puerto Barrios", ["Centro"])],
    "NI": [("Managua", ["Distrito VI", "Ciudad Sandino", "Distrito III"]), ("León", ["Sutiaba"]),
           ("Chinandega", ["Centro"]), ("Estelí", ["Centro"]), ("Bluefields", ["Barrio Central"])],
    "CR": [("San José", ["Hatillo", "Pavas", "La Carpio"]), ("Limón", ["Centro"]), ("Alajuela", ["Centro"]),
           ("Puntarenas", ["El Roble"]), ("Upala", ["Centro"])],
    "BZ": [("Belize City", ["Collet", "Lake Independence", "Port Loyola"]), ("Belmopan", ["Salvapan"]),
           ("Orange Walk", ["Town"]), ("Dangriga", ["Town"]), ("San Ignacio", ["Santa Elena"]),
           ("Benque Viejo", ["del Carmen"])],
    "PR": [("San Juan", ["Río Piedras", "Santurce"]), ("Bayamón", ["Centro"]), ("Ponce", ["Playa"]),
           ("Carolina", ["Centro"]), ("Mayagüez", ["Centro"]), ("Caguas", ["Centro"])],
}

# --- marks and clothing ----------------------------------------------------
# part key -> (es, es_gender, en, pt, pt_gender, sided)
BODY_PARTS = {
    "shoulder": ("hombro", "m", "shoulder", "ombro", "m", True),
    "arm": ("brazo", "m", "arm", "braço", "m", True),
    "hand": ("mano", "f", "hand", "mão", "f", True),
    "eyebrow": ("ceja", "f", "eyebrow", "sobrancelha", "f", True),
    "cheek": ("mejilla", "f", "cheek", "bochecha", "f", True),
    "neck": ("cuello", "m", "neck", "pescoço", "m", False),
    "back": ("espalda", "f", "back", "costas", "f", False),
    "ankle": ("tobillo", "m", "ankle", "tornozelo", "m", True),
    "wrist": ("muñeca", "f", "wrist", "pulso", "m", True),
    "leg": ("pierna", "f", "leg", "perna", "f", True),
    "forehead": ("frente", "f", "forehead", "testa", "f", False),
    "chin": ("mentón", "m", "chin", "queixo", "m", False),
}
# tattoo object -> (es, es_gender, en, pt)
TATTOO_OBJECTS = {
    "butterfly": ("mariposa", "f", "butterfly", "borboleta"),
    "rose": ("rosa", "f", "rose", "rosa"),
    "star": ("estrella", "f", "star", "estrela"),
    "heart": ("corazón", "m", "heart", "coração"),
    "cross": ("cruz", "f", "cross", "cruz"),
    "dragon": ("dragón", "m", "dragon", "dragão"),
    "anchor": ("ancla", "f", "anchor", "âncora"),
    "moon": ("luna", "f", "moon", "lua"),
    "scorpion": ("escorpión", "m", "scorpion", "escorpião"),
    "feather": ("pluma", "f", "feather", "pena"),
}
MARK_KINDS = {
    # kind -> (es noun, es_gender, en noun, pt noun, pt_gender, allowed parts)
    "tattoo": ("tatuaje", "m", "tattoo", "tatuagem", "f",
               ["shoulder", "arm", "hand", "neck", "back", "ankle", "wrist", "leg"]),
    "scar": ("cicatriz", "f", "scar", "cicatriz", "f",
             ["eyebrow", "cheek", "forehead", "chin", "arm", "hand", "leg"]),
    "mole": ("lunar", "m", "mole", "sinal", "m", ["cheek", "neck", "chin", "forehead", "shoulder"]),
    "birthmark": ("mancha de nacimiento", "f", "birthmark", "marca de nascença", "f",
                  ["neck", "arm", "back", "leg", "cheek"]),
    "burn": ("quemadura", "f", "burn scar", "queimadura", "f", ["arm", "hand", "leg"]),
}
MARK_KIND_WEIGHTS = {"tattoo": 30, "scar": 30, "mole": 25, "birthmark": 10, "burn": 5}

# (es, es_gender, en)
CLOTHES_TOP = [("chompa", "f", "sweater"), ("polera", "f", "t-shirt"), ("blusa", "f", "blouse"),
               ("camisa", "f", "shirt"), ("chamarra", "f", "jacket"), ("buzo", "m", "tracksuit"),
               ("uniforme escolar", "m", "school uniform"), ("suéter", "m", "sweater"),
               ("pollera", "f", "pollera skirt"), ("vestido", "m", "dress")]
CLOTHES_BOTTOM = [("jeans", "m", "jeans"), ("pantalón", "m", "trousers"), ("falda", "f", "skirt"),
                  ("short", "m", "shorts"), ("leggings", "m", "leggings")]
CLOTHES_SHOES = [("zapatillas", "f", "sneakers"), ("sandalias", "f", "sandals"), ("botas", "f", "boots"),
                 ("zapatos negros", "m", "black shoes"), ("chinelas", "f", "flip-flops")]
# (es masc, es fem, en)
COLOURS = [("rojo", "roja", "red"), ("azul", "azul", "blue"), ("negro", "negra", "black"),
           ("blanco", "blanca", "white"), ("verde", "verde", "green"), ("rosado", "rosada", "pink"),
           ("gris", "gris", "grey"), ("amarillo", "amarilla", "yellow"), ("morado", "morada", "purple"),
           ("celeste", "celeste", "light blue"), ("café", "café", "brown")]
CIRCUMSTANCES = [
    "salió del colegio y no regresó", "fue vista por última vez en la parada del minibús",
    "dijo que iba a una entrevista de trabajo", "salió a comprar y no volvió",
    "se comunicaba con una persona por redes sociales", "viajó con un conocido a la frontera",
    "le ofrecieron trabajo en otra ciudad", "salió de casa tras una discusión",
    "no llegó al trabajo", "fue visto subiendo a un taxi",
]
CIRCUMSTANCES_EN = [
    "left school and did not come back", "last seen at the bus stop",
    "said she was going to a job interview", "went to the shop and never returned",
    "was chatting with someone on social media", "travelled with an acquaintance to the border",
    "was offered work in another city",
]
