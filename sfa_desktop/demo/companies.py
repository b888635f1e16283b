"""Word lists for customer companies: industries, how businesses of each are named, legal forms."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Industry:
    name: str
    weight: float
    #: words that open a company name: "Talleres", "Distribuciones"…
    trade_words: tuple[str, ...]
    #: names of small businesses that take a "brand" instead of a surname: "Ferretería"…
    shop_words: tuple[str, ...]
    #: share of accounts located on an industrial estate
    estate_share: float
    #: product families this kind of customer buys (keys of the product catalogue)
    families: tuple[str, ...]


PUBLIC_SECTOR = "Administración pública"

# fmt: off
INDUSTRIES: tuple[Industry, ...] = (
    Industry("Hostelería", 12, ("Hostelería", "Catering"),
             ("Restaurante", "Hotel", "Cafetería", "Hostal", "Bar", "Asador", "Marisquería"),
             0.0, ("Hostelería", "Climatización", "Limpieza industrial", "Servicios")),
    Industry("Distribución", 12, ("Distribuciones", "Suministros", "Comercial", "Almacenes"),
             (), 0.6, ("Elevación y almacén", "Limpieza industrial", "Energía", "Servicios")),
    Industry("Industria", 14, ("Talleres", "Metalúrgica", "Industrias", "Mecanizados",
                               "Plásticos", "Manufacturas", "Fundiciones", "Estampaciones"),
             (), 0.8, ("Aire comprimido", "Elevación y almacén", "Energía", "Servicios")),
    Industry("Salud", 8, ("Laboratorios", "Centro Médico", "Clínica"),
             ("Clínica Dental", "Farmacia", "Clínica Veterinaria", "Centro de Fisioterapia",
              "Residencia"), 0.0, ("Climatización", "Energía", "Limpieza industrial", "Servicios")),
    Industry("Educación", 5, ("Centro de Formación", "Academia"),
             ("Colegio", "Escuela Infantil", "Academia"), 0.0,
             ("Climatización", "Limpieza industrial", "Seguridad", "Servicios")),
    Industry("Construcción", 9, ("Construcciones", "Reformas", "Promociones", "Excavaciones",
                                 "Obras y Proyectos"),
             (), 0.4, ("Aire comprimido", "Energía", "Seguridad", "Servicios")),
    Industry("Retail", 10, ("Supermercados", "Almacenes"),
             ("Ferretería", "Óptica", "Librería", "Electrodomésticos", "Panadería", "Droguería"),
             0.05, ("Climatización", "Seguridad", "Limpieza industrial", "Servicios")),
    Industry("Tecnología", 6, ("Sistemas", "Soluciones Informáticas", "Ingeniería", "Redes"),
             (), 0.2, ("Climatización", "Energía", "Seguridad", "Servicios")),
    Industry("Automoción", 8, ("Talleres", "Recambios", "Automóviles", "Neumáticos"),
             ("Taller", "Concesionario"), 0.6,
             ("Aire comprimido", "Elevación y almacén", "Limpieza industrial", "Servicios")),
    Industry("Agroalimentario", 9, ("Bodegas", "Conservas", "Aceites", "Cárnicas", "Frutas",
                                    "Panificadora", "Lácteos"),
             (), 0.5, ("Aire comprimido", "Climatización", "Elevación y almacén", "Servicios")),
    Industry("Logística", 6, ("Transportes", "Logística", "Mudanzas"),
             (), 0.85, ("Elevación y almacén", "Energía", "Seguridad", "Servicios")),
    Industry(PUBLIC_SECTOR, 1.5, (),
             ("Polideportivo Municipal", "Centro Cívico", "Mercado Municipal",
              "Biblioteca Municipal", "Residencia Municipal"), 0.0,
             ("Climatización", "Seguridad", "Energía", "Servicios")),
)
# fmt: on

#: Place-like words for names such as "Distribuciones Levante S.A."
GEOGRAPHIC_WORDS = (
    "Levante", "del Norte", "del Sur", "Mediterráneo", "Atlántico", "Ibérica", "Cantábrico",
    "del Centro", "Peninsular", "del Ebro", "del Guadalquivir", "de Poniente", "Costa Brava",
    "Sierra Norte", "del Tajo", "Hispania",
)  # fmt: skip

#: "Brand" names of small businesses: "Ferretería La Palma", "Clínica Dental Sonrisa".
SHOP_BRANDS = (
    "La Palma", "El Olivo", "Sonrisa", "Central", "La Estrella", "San Juan", "El Sol",
    "Los Arcos", "La Plaza", "Mirador", "El Puerto", "Santa Lucía", "Nueva", "La Alameda",
    "El Pinar", "Las Fuentes", "Vista Alegre", "La Esperanza", "El Faro", "San Antonio",
    "Los Álamos", "La Rosaleda", "Miramar", "El Roble", "Avenida", "Del Carmen",
)  # fmt: skip

#: Legal forms of Spanish companies and the CIF organisation letter each implies.
SPANISH_LEGAL_FORMS: tuple[tuple[str, str, float], ...] = (
    ("S.L.", "B", 0.62),
    ("S.A.", "A", 0.2),
    ("S.L.U.", "B", 0.1),
    ("S. Coop.", "F", 0.05),
    ("S.L.L.", "B", 0.03),
)

_D, _I, _L, _C, _A, _H = (
    "Distribución", "Industria", "Logística", "Construcción", "Agroalimentario", "Hostelería"
)  # fmt: skip

#: Naming patterns of foreign companies ("{s}" a surname, "{t}" a trade word, "{p}" a place)
#: and their trade words with the industry each implies.
FOREIGN_NAMING: dict[str, tuple[tuple[str, ...], tuple[tuple[str, str], ...]]] = {
    "PT": (("{s} & Filhos, Lda.", "{t} {s}, Lda.", "{t} do {p}, S.A.", "{s} e {s2}, Lda."),
           (("Distribuidora", _D), ("Metalúrgica", _I), ("Transportes", _L),
            ("Construções", _C), ("Conservas", _A))),
    "FR": (("{t} {s} SARL", "{s} et Fils SAS", "{t} du {p} SA", "Établissements {s}"),
           (("Transports", _L), ("Menuiserie", _I), ("Distribution", _D),
            ("Garage", "Automoción"), ("Mécanique", _I))),
    "DE": (("{s} GmbH", "{s} {t} GmbH", "{s} & Söhne KG", "{t} {p} AG"),
           (("Maschinenbau", _I), ("Logistik", _L), ("Metallbau", _I),
            ("Haustechnik", _C), ("Handel", _D))),
    "IT": (("{s} S.r.l.", "Officine {s} S.p.A.", "{s} & Figli S.r.l.", "{t} {s} S.r.l."),
           (("Meccanica", _I), ("Trasporti", _L), ("Costruzioni", _C),
            ("Alimentari", _A), ("Distribuzione", _D))),
    "GB": (("{s} & Sons Ltd", "{s} {t} Ltd", "{p} {t} plc", "{s} and {s2} Ltd"),
           (("Engineering", _I), ("Supplies", _D), ("Logistics", _L),
            ("Catering", _H), ("Building", _C))),
}  # fmt: skip

#: Where the name of a foreign city goes in "{p}" patterns.
FOREIGN_PLACE_WORDS: dict[str, tuple[str, ...]] = {
    "PT": ("Norte", "Minho", "Tejo", "Douro", "Sul", "Algarve", "Alentejo", "Centro"),
    "FR": ("Midi", "Sud-Ouest", "Rhône", "Languedoc", "Centre", "Nord", "Littoral", "Roussillon"),
    "DE": ("Nord", "Süd", "Rhein", "Main", "West", "Ost", "Bayern", "Elbe"),
    "IT": ("Nord", "Adriatico", "Tirreno", "Po"),
    "GB": ("Northern", "Midlands", "Thames", "Pennine", "Western", "Southern", "Anglia", "Mercia"),
}  # fmt: skip

#: Words dropped when turning a company name into a web/e-mail slug.
SLUG_STOPWORDS = frozenset(
    {"s.l.", "s.a.", "s.l.u.", "s.l.l.", "s.", "coop.", "sl", "sa", "de", "del", "la", "el",
     "los", "las", "y", "e", "et", "and", "&", "lda.", "sarl", "sas", "gmbh", "kg", "ag",
     "s.r.l.", "s.p.a.", "ltd", "plc", "do", "du", "a"}
)  # fmt: skip
