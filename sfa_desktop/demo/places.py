"""Real places for demo accounts: cities with their centre, region, postal codes and phone area.

Spanish cities carry a sales *territory group*; the generator gives each group to a rep, so a
rep's accounts cluster geographically and route planning has something to plan.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class City:
    name: str
    region: str
    country: str
    latitude: float
    longitude: float
    #: postal codes to draw from (Spain: filled from ``postal_range``)
    postal_codes: tuple[str, ...]
    #: national significant number prefix of local landlines (without country code)
    landline_prefix: str
    #: relative share of accounts (roughly the size of the local economy)
    weight: float
    #: territory group (index into :data:`TERRITORIES`)
    group: int
    #: INE province code, the first two digits of local postal codes and old CIFs
    province: str = ""


TERRITORIES = ("Centro", "Nordeste", "Sur", "Levante", "Noroeste", "Norte")


def _es(
    name: str,
    region: str,
    lat: float,
    lon: float,
    postal: tuple[int, int],
    landline: str,
    weight: float,
    group: int,
) -> City:
    codes = tuple(f"{n:05d}" for n in range(postal[0], postal[1] + 1))
    return City(name, region, "ES", lat, lon, codes, landline, weight, group, province=codes[0][:2])


_MAD = "Comunidad de Madrid"
_CAT = "Cataluña"
_VAL = "Comunitat Valenciana"
_AND = "Andalucía"
_CYL = "Castilla y León"
_CLM = "Castilla-La Mancha"
_GAL = "Galicia"
_PV = "País Vasco"

# fmt: off
SPANISH_CITIES: tuple[City, ...] = (
    _es("Madrid", _MAD, 40.4168, -3.7038, (28001, 28055), "91", 30, 0),
    _es("Alcalá de Henares", _MAD, 40.4818, -3.3636, (28801, 28807), "91", 2, 0),
    _es("Getafe", _MAD, 40.3057, -3.7329, (28901, 28909), "91", 2, 0),
    _es("Móstoles", _MAD, 40.3223, -3.8649, (28931, 28938), "91", 2, 0),
    _es("Toledo", _CLM, 39.8628, -4.0273, (45001, 45008), "925", 1, 0),
    _es("Albacete", _CLM, 38.9943, -1.8585, (2001, 2008), "967", 1.5, 0),
    _es("Ciudad Real", _CLM, 38.9848, -3.9274, (13001, 13005), "926", 0.8, 0),
    _es("Guadalajara", _CLM, 40.6329, -3.1664, (19001, 19005), "949", 0.9, 0),
    _es("Valladolid", _CYL, 41.6523, -4.7245, (47001, 47015), "983", 3, 0),
    _es("Salamanca", _CYL, 40.9701, -5.6635, (37001, 37008), "923", 1.5, 0),
    _es("Burgos", _CYL, 42.3439, -3.6969, (9001, 9007), "947", 1.5, 0),
    _es("León", _CYL, 42.5987, -5.5671, (24001, 24010), "987", 1.3, 0),
    _es("Badajoz", "Extremadura", 38.8794, -6.9707, (6001, 6011), "924", 1.3, 0),
    _es("Cáceres", "Extremadura", 39.4753, -6.3724, (10001, 10005), "927", 0.9, 0),
    _es("Barcelona", _CAT, 41.3874, 2.1686, (8001, 8042), "93", 20, 1),
    _es("L'Hospitalet de Llobregat", _CAT, 41.3597, 2.0997, (8901, 8908), "93", 2.5, 1),
    _es("Sabadell", _CAT, 41.5433, 2.1094, (8201, 8208), "93", 2, 1),
    _es("Terrassa", _CAT, 41.5632, 2.0089, (8221, 8228), "93", 2, 1),
    _es("Girona", _CAT, 41.9794, 2.8214, (17001, 17007), "972", 1.5, 1),
    _es("Tarragona", _CAT, 41.1189, 1.2445, (43001, 43008), "977", 1.5, 1),
    _es("Lleida", _CAT, 41.6176, 0.6200, (25001, 25008), "9732", 1.5, 1),
    _es("Zaragoza", "Aragón", 41.6488, -0.8891, (50001, 50018), "976", 7, 1),
    _es("Huesca", "Aragón", 42.1401, -0.4089, (22001, 22006), "974", 0.7, 1),
    _es("Palma", "Illes Balears", 39.5696, 2.6502, (7001, 7015), "971", 4, 1),
    _es("Sevilla", _AND, 37.3891, -5.9845, (41001, 41020), "954", 8, 2),
    _es("Málaga", _AND, 36.7213, -4.4214, (29001, 29018), "952", 6, 2),
    _es("Córdoba", _AND, 37.8882, -4.7794, (14001, 14014), "957", 3, 2),
    _es("Granada", _AND, 37.1773, -3.5986, (18001, 18015), "958", 3, 2),
    _es("Almería", _AND, 36.8340, -2.4637, (4001, 4009), "950", 2, 2),
    _es("Cádiz", _AND, 36.5271, -6.2886, (11001, 11012), "956", 1.5, 2),
    _es("Jerez de la Frontera", _AND, 36.6850, -6.1261, (11401, 11408), "956", 2, 2),
    _es("Huelva", _AND, 37.2614, -6.9447, (21001, 21007), "959", 1.5, 2),
    _es("Jaén", _AND, 37.7796, -3.7849, (23001, 23009), "953", 1.2, 2),
    _es("Marbella", _AND, 36.5101, -4.8825, (29601, 29604), "952", 1.5, 2),
    _es("Murcia", "Región de Murcia", 37.9922, -1.1307, (30001, 30012), "968", 5, 3),
    _es("Cartagena", "Región de Murcia", 37.6257, -0.9966, (30201, 30205), "968", 2, 3),
    _es("Las Palmas de Gran Canaria", "Canarias", 28.1235, -15.4363, (35001, 35019), "928", 3.5, 2),
    _es("Santa Cruz de Tenerife", "Canarias", 28.4636, -16.2518, (38001, 38010), "922", 2.5, 2),
    _es("Valencia", _VAL, 39.4699, -0.3763, (46001, 46026), "963", 12, 3),
    _es("Alicante", _VAL, 38.3452, -0.4810, (3001, 3016), "965", 4, 3),
    _es("Elche", _VAL, 38.2669, -0.6983, (3201, 3208), "966", 3, 3),
    _es("Castellón de la Plana", _VAL, 39.9864, -0.0513, (12001, 12006), "964", 2, 3),
    _es("Bilbao", _PV, 43.2630, -2.9350, (48001, 48015), "944", 6, 5),
    _es("Vitoria-Gasteiz", _PV, 42.8467, -2.6716, (1001, 1015), "945", 2.5, 5),
    _es("Donostia-San Sebastián", _PV, 43.3183, -1.9812, (20001, 20018), "943", 2.5, 5),
    _es("Pamplona", "Comunidad Foral de Navarra", 42.8125, -1.6458, (31001, 31016), "948", 2.2, 5),
    _es("Logroño", "La Rioja", 42.4627, -2.4449, (26001, 26009), "941", 1.5, 5),
    _es("Santander", "Cantabria", 43.4623, -3.8100, (39001, 39012), "942", 2, 5),
    _es("Gijón", "Principado de Asturias", 43.5322, -5.6611, (33201, 33213), "985", 2.5, 5),
    _es("Oviedo", "Principado de Asturias", 43.3614, -5.8494, (33001, 33013), "985", 2.2, 5),
    _es("Vigo", _GAL, 42.2406, -8.7207, (36201, 36216), "986", 3, 4),
    _es("A Coruña", _GAL, 43.3623, -8.4115, (15001, 15011), "981", 2.5, 4),
    _es("Santiago de Compostela", _GAL, 42.8782, -8.5448, (15701, 15706), "981", 1.2, 4),
    _es("Ourense", _GAL, 42.3358, -7.8639, (32001, 32005), "988", 1, 4),
)

#: Foreign cities; ``weight`` is the share within the country.
FOREIGN_CITIES: tuple[City, ...] = (
    City("Lisboa", "Lisboa", "PT", 38.7223, -9.1393,
         ("1050-094", "1100-148", "1250-096", "1600-209", "1700-111"), "21", 3, 4),
    City("Porto", "Norte", "PT", 41.1579, -8.6291,
         ("4000-322", "4050-253", "4100-130", "4200-072"), "22", 2, 4),
    City("Braga", "Norte", "PT", 41.5454, -8.4265, ("4700-035", "4710-228"), "253", 1, 4),
    City("Paris", "Île-de-France", "FR", 48.8566, 2.3522,
         ("75002", "75008", "75011", "75015", "75017"), "14", 3, 1),
    City("Lyon", "Auvergne-Rhône-Alpes", "FR", 45.7640, 4.8357,
         ("69002", "69003", "69007"), "478", 2, 1),
    City("Toulouse", "Occitanie", "FR", 43.6047, 1.4442, ("31000", "31200", "31400"), "561", 2, 1),
    City("Perpignan", "Occitanie", "FR", 42.6887, 2.8948, ("66000", "66100"), "468", 1, 1),
    City("Bordeaux", "Nouvelle-Aquitaine", "FR", 44.8378, -0.5792,
         ("33000", "33100", "33300"), "556", 1.5, 1),
    City("Marseille", "Provence-Alpes-Côte d'Azur", "FR", 43.2965, 5.3698,
         ("13001", "13008", "13015"), "491", 1.5, 1),
    City("Berlin", "Berlin", "DE", 52.5200, 13.4050,
         ("10115", "10178", "10405", "12099", "13353"), "30", 2, 3),
    City("München", "Bayern", "DE", 48.1351, 11.5820, ("80331", "80469", "81369"), "89", 2, 3),
    City("Hamburg", "Hamburg", "DE", 53.5511, 9.9937, ("20095", "20457", "22765"), "40", 1.5, 3),
    City("Frankfurt am Main", "Hessen", "DE", 50.1109, 8.6821, ("60311", "60486"), "69", 1.5, 3),
    City("Stuttgart", "Baden-Württemberg", "DE", 48.7758, 9.1829, ("70173", "70372"), "711", 1, 3),
    City("Köln", "Nordrhein-Westfalen", "DE", 50.9375, 6.9603, ("50667", "50823"), "221", 1, 3),
    City("Milano", "Lombardia", "IT", 45.4642, 9.1900,
         ("20121", "20135", "20148", "20159"), "02", 3, 3),
    City("Roma", "Lazio", "IT", 41.9028, 12.4964, ("00184", "00144", "00197"), "06", 2, 3),
    City("Torino", "Piemonte", "IT", 45.0703, 7.6869, ("10121", "10138", "10153"), "011", 1.5, 3),
    City("Bologna", "Emilia-Romagna", "IT", 44.4949, 11.3426, ("40121", "40127"), "051", 1, 3),
    City("London", "England", "GB", 51.5072, -0.1276,
         ("EC1V 9HX", "SE1 7PB", "E14 5AB", "W1T 4JE", "N1 9GU"), "207", 3, 3),
    City("Manchester", "England", "GB", 53.4808, -2.2426, ("M1 2WD", "M3 4LZ", "M15 4FN"), "161", 1.5, 3),
    City("Birmingham", "England", "GB", 52.4862, -1.8904, ("B1 1BB", "B5 4BU", "B7 4AA"), "1212", 1, 3),
)
# fmt: on

#: Share of foreign accounts by country (≈15 % of all accounts together).
FOREIGN_SHARE: dict[str, float] = {"PT": 0.04, "FR": 0.04, "DE": 0.03, "IT": 0.025, "GB": 0.015}

#: Country calling code and the mobile prefixes (national significant number) per country.
CALLING_CODES: dict[str, str] = {
    "ES": "34",
    "PT": "351",
    "FR": "33",
    "DE": "49",
    "IT": "39",
    "GB": "44",
}
MOBILE_PREFIXES: dict[str, tuple[str, ...]] = {
    "ES": ("60", "61", "62", "63", "64", "65", "66", "67", "68", "69"),
    "PT": ("91", "92", "93", "96"),
    "FR": ("61", "62", "66", "67", "68", "75", "76", "77", "78"),
    "DE": ("151", "160", "170", "171", "176"),
    "IT": ("320", "328", "333", "338", "340", "347", "366"),
    "GB": ("74", "75", "78"),
}
#: Length of the national significant number of (landlines, mobiles).
NUMBER_LENGTH: dict[str, tuple[int, int]] = {
    "ES": (9, 9),
    "PT": (9, 9),
    "FR": (9, 9),
    "DE": (10, 11),
    "IT": (10, 10),
    "GB": (10, 10),
}

TOP_LEVEL_DOMAINS: dict[str, str] = {
    "ES": "es", "PT": "pt", "FR": "fr", "DE": "de", "IT": "it", "GB": "co.uk",
}  # fmt: skip

SPANISH_STREETS = (
    "Calle Mayor", "Avenida de Andalucía", "Calle Real", "Avenida de la Constitución",
    "Calle del Sol", "Calle San Francisco", "Calle de Cervantes", "Gran Vía", "Calle de Goya",
    "Avenida de Colón", "Calle del Carmen", "Plaza de la Paz", "Calle Santa María",
    "Calle Nueva", "Avenida de la Estación", "Paseo del Mar", "Avenida de los Reyes Católicos",
    "Avenida de Blasco Ibáñez", "Calle de Castilla", "Avenida de Aragón", "Calle del Doctor Fleming",
    "Avenida de Europa", "Calle de la Libertad", "Calle Río Ebro", "Ronda de Poniente",
    "Paseo de la Estación", "Camino de las Huertas", "Travesía del Molino", "Calle Alfonso XIII",
    "Avenida de Portugal", "Calle de la Industria", "Calle Jacinto Benavente", "Plaza de España",
    "Calle de Miguel Servet", "Avenida de Madrid", "Calle Sagasta", "Calle Princesa",
)  # fmt: skip

#: Names common to industrial estates all over Spain (none tied to one city).
INDUSTRIAL_ESTATES = (
    "Las Salinas", "San Cristóbal", "El Prado", "Los Olivos", "La Estación", "Santa Ana",
    "El Campillo", "Santa Bárbara", "La Vega", "San Isidro", "Las Arenas", "El Olivar",
    "Los Llanos", "Río Seco", "La Dehesa", "El Cerro", "La Fuensanta", "Sector Norte",
    "Sector Sur", "El Pinar", "Los Majuelos", "La Redonda", "San José", "El Espartal",
)  # fmt: skip

FOREIGN_STREETS: dict[str, tuple[str, ...]] = {
    "PT": ("Rua Augusta", "Avenida da Liberdade", "Rua de Santa Catarina", "Rua do Carmo",
           "Avenida da República", "Rua de Cedofeita"),
    "FR": ("rue de la République", "avenue Jean Jaurès", "boulevard Victor Hugo",
           "rue Nationale", "avenue de la Gare", "rue du Commerce"),
    "DE": ("Hauptstraße", "Bahnhofstraße", "Industriestraße", "Gartenstraße", "Lindenallee",
           "Schillerstraße"),
    "IT": ("Via Roma", "Corso Italia", "Via Garibaldi", "Via Mazzini", "Viale dell'Industria",
           "Via Dante"),
    "GB": ("High Street", "Station Road", "Church Lane", "Victoria Road", "Mill Lane",
           "Park Avenue"),
}  # fmt: skip

#: Share of Spanish accounts; the rest is split as in :data:`FOREIGN_SHARE`.
SPANISH_SHARE = 1.0 - sum(FOREIGN_SHARE.values())


def city_probabilities() -> list[tuple[City, float]]:
    """Every city with the probability that an account is located there (they sum to 1)."""
    spanish_total = sum(c.weight for c in SPANISH_CITIES)
    pairs = [(c, SPANISH_SHARE * c.weight / spanish_total) for c in SPANISH_CITIES]
    for country, share in FOREIGN_SHARE.items():
        cities = [c for c in FOREIGN_CITIES if c.country == country]
        total = sum(c.weight for c in cities)
        pairs.extend((c, share * c.weight / total) for c in cities)
    return pairs
