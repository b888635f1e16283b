"""Given names and surnames for demo people, Spanish first, with some from nearby countries."""

from __future__ import annotations

SPANISH_MALE = (
    "José", "Antonio", "Manuel", "Francisco", "Javier", "David", "Juan", "Carlos", "Jesús",
    "Miguel", "Alejandro", "Rafael", "Pablo", "Sergio", "Fernando", "Jorge", "Luis", "Alberto",
    "Álvaro", "Íñigo", "Iker", "Jordi", "Xavier", "Andrés", "Raúl", "Rubén", "Óscar", "Ramón",
    "Enrique", "Víctor", "Adrián", "Joaquín", "Ángel", "Gonzalo", "Aitor", "Pau", "Diego",
    "Marcos", "Hugo", "Tomás", "Emilio", "Ignacio", "Julián", "Agustín", "Borja", "Unai",
    "Xabier", "Josep", "Iván", "Nicolás",
)  # fmt: skip

SPANISH_FEMALE = (
    "María", "Carmen", "Ana", "Laura", "Isabel", "Lucía", "Cristina", "Marta", "Pilar",
    "Elena", "Sara", "Paula", "Raquel", "Begoña", "Nuria", "Montserrat", "Rocío",
    "Inmaculada", "Beatriz", "Silvia", "Patricia", "Mercedes", "Irene", "Alicia", "Sonia",
    "Ainhoa", "Noelia", "Marina", "Amparo", "Lourdes", "Consuelo", "Ángela", "Eva", "Núria",
    "Leire", "Itziar", "Yolanda", "Verónica", "Rosa", "Teresa", "Julia", "Celia", "Miren",
    "Sofía", "Natalia", "Esther", "Remedios", "Maite", "Olga", "Susana",
)  # fmt: skip

SPANISH_SURNAMES = (
    "García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez",
    "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez",
    "Romero", "Alonso", "Gutiérrez", "Navarro", "Torres", "Domínguez", "Vázquez", "Ramos",
    "Gil", "Ramírez", "Serrano", "Blanco", "Molina", "Morales", "Suárez", "Ortega", "Delgado",
    "Castro", "Ortiz", "Rubio", "Marín", "Sanz", "Núñez", "Iglesias", "Medina", "Garrido",
    "Cortés", "Castillo", "Santos", "Lozano", "Guerrero", "Cano", "Prieto", "Méndez", "Cruz",
    "Calvo", "Gallego", "Vidal", "León", "Márquez", "Herrera", "Peña", "Flores", "Cabrera",
    "Campos", "Vega", "Fuentes", "Carrasco", "Díez", "Caballero", "Reyes", "Nieto", "Aguilar",
    "Pascual", "Santana", "Herrero", "Lorenzo", "Montero", "Hidalgo", "Giménez", "Ibáñez",
    "Ferrer", "Durán", "Benítez", "Mora", "Vicente", "Vargas", "Arias", "Carmona", "Crespo",
    "Román", "Pastor", "Soto", "Sáez", "Velasco", "Moya", "Soler", "Parra", "Esteban",
    "Bravo", "Gallardo", "Rojas", "Echeverría", "Etxeberria", "Goikoetxea", "Puig", "Vila",
    "Casas", "Roca", "Sarasola", "Quintana", "Otero", "Varela", "Fernández de la Vega",
    "Ordóñez", "Ybarra", "Zubiaurre", "Peláez", "Barrios", "Beltrán", "Salinas",
)  # fmt: skip

#: Given names (male, female) and surnames per foreign country.
FOREIGN_PEOPLE: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "PT": (
        ("João", "António", "Rui", "Pedro", "Tiago", "Nuno", "Miguel", "Luís", "Gonçalo"),
        ("Maria", "Ana", "Inês", "Joana", "Beatriz", "Sofia", "Catarina", "Mariana", "Rita"),
        ("Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues",
         "Martins", "Sousa", "Fernandes", "Gonçalves", "Lopes", "Marques", "Almeida"),
    ),
    "FR": (
        ("Jean", "Pierre", "Nicolas", "Julien", "Thomas", "Antoine", "François", "Mathieu"),
        ("Marie", "Sophie", "Camille", "Isabelle", "Céline", "Nathalie", "Amélie", "Claire"),
        ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
         "Leroy", "Moreau", "Lefèvre", "Girard", "Roux", "Fournier"),
    ),
    "DE": (
        ("Thomas", "Michael", "Andreas", "Stefan", "Markus", "Jürgen", "Klaus", "Tobias"),
        ("Sabine", "Andrea", "Claudia", "Katrin", "Julia", "Anja", "Susanne", "Jutta"),
        ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
         "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein"),
    ),
    "IT": (
        ("Marco", "Luca", "Giuseppe", "Alessandro", "Andrea", "Francesco", "Matteo", "Paolo"),
        ("Giulia", "Francesca", "Chiara", "Sara", "Valentina", "Elena", "Federica", "Silvia"),
        ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
         "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca"),
    ),
    "GB": (
        ("James", "David", "Richard", "Mark", "Paul", "Andrew", "Simon", "Daniel", "Tom"),
        ("Sarah", "Emma", "Claire", "Rachel", "Helen", "Louise", "Kate", "Jessica", "Anna"),
        ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
         "Robinson", "Wright", "Thompson", "Evans", "Walker", "Hughes"),
    ),
}  # fmt: skip

#: Fixed demo team: (given name, surnames, gender); the first rep is the demo user.
MANAGER = ("Lucía", "Fernández Ortega", "f")
REPS = (
    ("Javier", "García Molina", "m"),
    ("Marta", "Soler Puig", "f"),
    ("Carlos", "Ruiz Navarro", "m"),
    ("Elena", "Vidal Campos", "f"),
    ("Iñaki", "Etxeberria Goñi", "m"),
    ("Rocío", "Márquez Benítez", "f"),
)
ADMIN = ("Pedro", "Sanz Herrero", "m")
