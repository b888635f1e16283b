"""Spanish texts the demo data is written in: visit outcomes, next steps, quote terms…"""

from __future__ import annotations

#: (male title, female title, likely purchase roles); the first entries are decision makers.
JOB_TITLES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Gerente", "Gerente", ("decision_maker",)),
    ("Director General", "Directora General", ("decision_maker",)),
    ("Propietario", "Propietaria", ("decision_maker",)),
    ("Director de Compras", "Directora de Compras", ("decision_maker", "influencer")),
    ("Director Financiero", "Directora Financiera", ("decision_maker", "influencer")),
    ("Jefe de Mantenimiento", "Jefa de Mantenimiento", ("influencer", "champion", "user")),
    ("Responsable de Calidad", "Responsable de Calidad", ("influencer",)),
    ("Jefe de Producción", "Jefa de Producción", ("influencer", "user", "champion")),
    ("Director de Operaciones", "Directora de Operaciones", ("influencer", "decision_maker")),
    ("Responsable de Compras", "Responsable de Compras", ("influencer", "gatekeeper")),
    ("Jefe de Almacén", "Jefa de Almacén", ("user", "influencer")),
    ("Técnico de Mantenimiento", "Técnica de Mantenimiento", ("user",)),
    ("Encargado de Obra", "Encargada de Obra", ("user", "influencer")),
    ("Responsable de Prevención de Riesgos", "Responsable de Prevención de Riesgos", ("influencer", "other")),
    ("Administración", "Administración", ("gatekeeper", "other")),
    ("Recepción", "Recepción", ("gatekeeper",)),
)  # fmt: skip

#: How many of :data:`JOB_TITLES` (from the start) are decision makers.
DECISION_MAKER_TITLES = 5

#: Titles found only in some industries (by the male form); the others exist everywhere.
TITLE_INDUSTRIES: dict[str, frozenset[str]] = {
    "Encargado de Obra": frozenset({"Construcción"}),
    "Jefe de Producción": frozenset({"Industria", "Agroalimentario", "Automoción"}),
    "Jefe de Almacén": frozenset(
        {"Distribución", "Logística", "Retail", "Industria", "Agroalimentario"}
    ),
    "Director de Operaciones": frozenset(
        {"Industria", "Logística", "Distribución", "Hostelería", "Salud"}
    ),
}

CONSENT_SOURCES = (
    "Formulario web", "Visita comercial", "Feria Matelec 2025", "Jornada técnica",
    "Alta como cliente", "Correo electrónico", "Firma del contrato", "Llamada telefónica",
)  # fmt: skip

CONTACT_NOTES = (
    "Prefiere que le llamen por la mañana.", "Solo atiende con cita previa.",
    "Muy técnico: llevar fichas de producto.", "De vacaciones la segunda quincena de agosto.",
    "Firma los pedidos de más de 3.000 €.", "Habla también inglés y francés.",
    "Contactar por WhatsApp para urgencias.",
)  # fmt: skip

#: Needs (tags) and the sentence that explains each in the account's "needs" text.
NEEDS: dict[str, str] = {
    "mantenimiento": "Quiere externalizar el mantenimiento de sus equipos.",
    "financiación": "Valora pagar la inversión a plazos o con financiación a 36 meses.",
    "entrega urgente": "Suele necesitar entregas en menos de 48 horas.",
    "formación": "Pide formación para los operarios nuevos.",
    "renting": "Prefiere renting a compra por temas fiscales.",
    "eficiencia energética": "Busca reducir el consumo eléctrico de la planta.",
    "ampliación": "Tiene prevista una ampliación de las instalaciones.",
    "sustitución de equipos": "Parte de sus equipos tiene más de diez años.",
    "servicio 24h": "Trabaja a turnos y necesita asistencia técnica 24 horas.",
    "licitación": "Compra por licitación: atentos a los pliegos.",
    "pago a 60 días": "Paga a 60 días; revisar riesgo antes de grandes pedidos.",
    "subvenciones": "Interesado en subvenciones para renovar equipos.",
}

ACCOUNT_NOTES = (
    "Horario de recepción de mercancía: de 8:00 a 14:00.",
    "Preguntar en recepción por el responsable de turno.",
    "Acceso para vehículos por la puerta trasera de la nave.",
    "Cierra la primera quincena de agosto.",
    "Prefiere visitas los martes por la mañana.",
    "Cliente desde hace más de diez años; muy fiel.",
    "Tuvo una incidencia con una entrega en 2024; cuidar los plazos.",
    "Aparcamiento complicado: dejar el coche en el parking municipal.",
    "Compra también a la competencia; comparar precios antes de ofertar.",
)

# --- activities ---------------------------------------------------------------------------

SUBJECTS: dict[str, tuple[str, ...]] = {
    "visit": (
        "Visita de seguimiento", "Revisión del contrato de mantenimiento",
        "Presentación de la nueva gama", "Demostración de producto en planta",
        "Visita técnica para medir la instalación", "Entrega de documentación",
        "Visita de cortesía", "Revisión de la instalación tras la puesta en marcha",
        "Presentación de la tarifa {year}", "Recogida de necesidades",
    ),
    "call": (
        "Llamada de seguimiento", "Confirmar pedido", "Llamada para fijar visita",
        "Resolver dudas del presupuesto", "Llamada de satisfacción tras la instalación",
        "Reclamación de entrega", "Confirmar datos de facturación",
    ),
    "email": (
        "Envío de presupuesto", "Envío de fichas técnicas", "Envío de la tarifa {year}",
        "Respuesta a consulta técnica", "Envío de condiciones de financiación",
    ),
    "meeting": (
        "Reunión anual de revisión de cuenta", "Reunión con dirección financiera",
        "Negociación de condiciones", "Reunión de arranque del proyecto",
        "Videoconferencia con el equipo técnico",
    ),
    "task": (
        "Preparar oferta", "Revisar riesgo del cliente", "Actualizar datos de contacto",
        "Preparar demostración",
    ),
}  # fmt: skip

OUTCOMES = (
    "Interesado en ampliar el contrato de mantenimiento.",
    "Pide presupuesto para 3 máquinas.",
    "Satisfecho con la última instalación; sin nuevas necesidades de momento.",
    "Quiere comparar con otra oferta antes de decidir.",
    "Aprobada la inversión para el próximo trimestre.",
    "Le interesa el renting; enviar condiciones.",
    "Ha tenido una avería en el compresor; se abre aviso al servicio técnico.",
    "Pendiente de la aprobación del consejo.",
    "Solicita demostración con sus operarios.",
    "No hay presupuesto hasta enero.",
    "Confirma el pedido verbalmente; espera la oferta firmada.",
    "Reclama el plazo de entrega del último pedido.",
    "Presentada la nueva tarifa; sin objeciones.",
    "Nos pide referencias de otros clientes del sector.",
    "Quiere unificar todas las máquinas en un único contrato.",
    "Buena reunión: el gerente quiere visitar nuestra exposición.",
    "Interesado en la fotovoltaica de autoconsumo.",
    "Se revisan las condiciones de pago: pide 60 días.",
)

VISIT_NOTES = (
    "Recorrido por la nave con el jefe de mantenimiento.",
    "Tienen dos equipos de la competencia al final de su vida útil.",
    "Comentan que la facturación ha crecido un 15 % este año.",
    "Hablar con administración para actualizar la forma de pago.",
    "Muy sensibles al precio; destacar el coste total de propiedad.",
    "Les ha gustado la demostración; los operarios la ven cómoda.",
    "Cambio de gerente el mes que viene.",
    "Recordar llevar muestras en la próxima visita.",
)

NEXT_STEPS = (
    "Enviar presupuesto", "Llamar para cerrar fecha de demostración", "Enviar fichas técnicas",
    "Visita con el técnico para medir", "Preparar propuesta de renting",
    "Revisar oferta con el jefe de ventas", "Enviar referencias de clientes",
    "Confirmar fecha de instalación", "Llamar después de la reunión del consejo",
    "Enviar condiciones de financiación",
)  # fmt: skip

# --- opportunities and quotes ---------------------------------------------------------------

OPPORTUNITY_NAMES: dict[str, tuple[str, ...]] = {
    "Aire comprimido": ("Renovación de compresores", "Nueva sala de compresores", "Red de aire comprimido"),
    "Climatización": ("Climatización de oficinas", "Sustitución de enfriadora", "Aerotermia"),
    "Limpieza industrial": ("Fregadora para la nave", "Renovación de maquinaria de limpieza"),
    "Elevación y almacén": ("Ampliación de la flota de carretillas", "Estanterías del almacén nuevo", "Transpalés eléctricos"),
    "Hostelería": ("Equipamiento de cocina", "Renovación del lavavajillas", "Cámara frigorífica"),
    "Energía": ("Fotovoltaica de autoconsumo", "Grupo electrógeno de emergencia", "Puntos de recarga"),
    "Seguridad": ("Protección contra incendios", "Videovigilancia", "Revisión de extintores"),
    "Servicios": ("Contrato de mantenimiento {year}", "Mantenimiento integral", "Formación de operarios"),
}  # fmt: skip

LOST_REASONS = (
    "Precio: la competencia ofertó un 12 % menos.",
    "Eligió a la competencia por el plazo de entrega.",
    "Proyecto aplazado al año que viene.",
    "Sin presupuesto este ejercicio.",
    "Decidió reparar el equipo actual.",
    "El cliente dejó de responder.",
    "Lo compró la central del grupo directamente.",
)

OPPORTUNITY_NEXT_STEPS = (
    "Enviar propuesta revisada", "Demostración en planta", "Reunión con dirección financiera",
    "Visita técnica para medir la instalación", "Esperar aprobación del presupuesto",
    "Negociar condiciones de pago", "Presentar alternativa en renting",
)  # fmt: skip

PAYMENT_TERMS = (
    "Forma de pago: transferencia a 30 días fecha factura.",
    "Forma de pago: 50 % a la aceptación y 50 % a la puesta en marcha.",
    "Forma de pago: recibo domiciliado a 60 días.",
    "Forma de pago: confirming a 90 días.",
)

QUOTE_TERMS = (
    "Plazo de entrega: {weeks} semanas desde la aceptación del pedido.",
    "Portes incluidos en península; Baleares y Canarias, consultar.",
    "Garantía: 2 años en piezas y mano de obra.",
    "Precios sin IVA, válidos hasta la fecha indicada en la oferta.",
)

QUOTE_REJECTION_REASONS = (
    "Precio por encima de la competencia.",
    "El cliente aplaza la inversión al año que viene.",
    "Plazo de entrega demasiado largo.",
)

QUOTE_NOTES = (
    "Oferta según visita técnica.",
    "Incluye retirada del equipo antiguo.",
    "Descuento especial por volumen.",
    "Instalación en horario nocturno para no parar la producción.",
)

# --- forecasts ------------------------------------------------------------------------------

REP_FORECAST_NOTES = (
    "Pedido de {account} pendiente de firma.",
    "Dos ofertas grandes pueden caer este mes.",
    "Agosto flojo: muchos clientes cerrados.",
    "Conservador: una licitación aún sin resolver.",
    "Incluyo la ampliación del contrato de {account}.",
)

MANAGER_FORECAST_NOTES = (
    "Ajusto a la baja: el histórico de cierre del equipo es menor.",
    "Subo el commit: {account} confirmó el pedido por teléfono.",
    "Retraso previsible en dos operaciones de negociación.",
    "Coherente con el pipeline; sin cambios relevantes.",
)

TEAM_FORECAST_NOTES = (
    "Bajo la previsión del equipo: dos cierres grandes dependen de la misma licitación.",
    "Prudencia en el trimestre: los pagos de la administración se retrasan.",
)
