"""The demo supplier's catalogue: industrial and commercial equipment, consumables and services."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ProductData:
    sku: str
    name: str
    description: str
    family: str
    #: general price list, EUR cents before tax
    price: int
    tax_rate: str = "21"
    kind: str = "product"
    parent_sku: str | None = None
    active: bool = True
    #: unit sold in dozens (consumables) rather than ones and twos
    bulk: bool = False


_P = ProductData

# fmt: off
PRODUCTS: tuple[ProductData, ...] = (
    _P("AC-TOR-075", "Compresor de tornillo 7,5 kW", "Compresor de tornillo lubricado, 10 bar, 1.100 l/min, con variador de velocidad.", "Aire comprimido", 685_000),
    _P("AC-TOR-150", "Compresor de tornillo 15 kW", "Compresor de tornillo con secador integrado, 10 bar, 2.300 l/min, bajo nivel sonoro.", "Aire comprimido", 1_249_000),
    _P("AC-TOR-370", "Compresor de tornillo 37 kW", "Compresor industrial de tornillo con control remoto y recuperación de calor.", "Aire comprimido", 2_890_000),
    _P("AC-PIS-030", "Compresor de pistón 3 CV", "Compresor de pistón para taller, depósito de 100 l, 10 bar.", "Aire comprimido", 89_000),
    _P("AC-SEC-120", "Secador frigorífico 1.200 l/min", "Secador de aire comprimido por refrigeración, punto de rocío +3 °C.", "Aire comprimido", 198_000),
    _P("AC-DEP-500", "Depósito vertical 500 l", "Depósito de aire comprimido galvanizado, 11 bar, con válvula de seguridad.", "Aire comprimido", 76_000, kind="component", parent_sku="AC-TOR-075"),
    _P("AC-FIL-KIT", "Kit de filtración de línea", "Filtros coalescente y de carbón activo con purgas automáticas.", "Aire comprimido", 41_500, kind="option", parent_sku="AC-TOR-150"),
    _P("AC-REC-CAL", "Módulo de recuperación de calor", "Aprovecha hasta el 90 % del calor del compresor para agua caliente sanitaria.", "Aire comprimido", 320_000, kind="option", parent_sku="AC-TOR-370"),
    _P("CL-BDC-012", "Bomba de calor aire-agua 12 kW", "Aerotermia monobloc para calefacción, refrigeración y ACS, refrigerante R32.", "Climatización", 715_000),
    _P("CL-SPL-071", "Split de conductos 7,1 kW", "Equipo de conductos inverter para oficinas y locales comerciales.", "Climatización", 289_000),
    _P("CL-CAS-100", "Cassette 4 vías 10 kW", "Unidad de cassette para falso techo con bomba de condensados.", "Climatización", 342_000),
    _P("CL-ENF-050", "Enfriadora 50 kW", "Enfriadora de agua condensada por aire con módulo hidráulico.", "Climatización", 1_840_000),
    _P("CL-COR-150", "Cortina de aire 1,5 m", "Cortina de aire para puertas de acceso, con resistencia eléctrica.", "Climatización", 94_000),
    _P("CL-WIF-CTR", "Control wifi centralizado", "Pasarela para gestionar los equipos desde el móvil y programar horarios.", "Climatización", 26_500, kind="option", parent_sku="CL-SPL-071"),
    _P("LI-FRE-050", "Fregadora de conductor acompañante 50 cm", "Fregadora a baterías para superficies de hasta 2.000 m².", "Limpieza industrial", 498_000),
    _P("LI-FRE-CON", "Fregadora de conductor sentado 85 cm", "Fregadora para grandes superficies con autonomía de 4 horas.", "Limpieza industrial", 1_390_000),
    _P("LI-BAR-IND", "Barredora industrial", "Barredora de conductor sentado con filtro de polvo y vaciado hidráulico.", "Limpieza industrial", 1_120_000),
    _P("LI-HID-200", "Hidrolimpiadora de agua caliente 200 bar", "Hidrolimpiadora trifásica con caldera de gasóleo y enrollador de manguera.", "Limpieza industrial", 345_000),
    _P("LI-BAT-LIT", "Batería de litio 24 V", "Batería de litio con cargador rápido integrado; sustituye a las de plomo.", "Limpieza industrial", 152_000, kind="component", parent_sku="LI-FRE-050"),
    _P("LI-DET-020", "Detergente industrial neutro 20 l", "Detergente de baja espuma para fregadoras automáticas.", "Limpieza industrial", 4_850, bulk=True),
    _P("EL-TRA-150", "Transpalé eléctrico 1.500 kg", "Transpalé con batería de litio, timón ergonómico y horquillas de 1.150 mm.", "Elevación y almacén", 329_000),
    _P("EL-API-160", "Apilador eléctrico 1.600 mm", "Apilador de conductor acompañante, elevación 1.600 mm, 1.000 kg.", "Elevación y almacén", 598_000),
    _P("EL-CAR-025", "Carretilla elevadora diésel 2,5 t", "Carretilla contrapesada diésel, mástil triplex de 4,5 m, desplazador lateral.", "Elevación y almacén", 2_650_000),
    _P("EL-CAR-E18", "Carretilla elevadora eléctrica 1,8 t", "Carretilla eléctrica de cuatro ruedas, 48 V, para interior y exterior.", "Elevación y almacén", 2_290_000),
    _P("EL-HOR-150", "Horquillas de 1.500 mm", "Juego de horquillas largas para cargas voluminosas.", "Elevación y almacén", 68_000, kind="option", parent_sku="EL-CAR-025"),
    _P("EL-CAB-CER", "Cabina cerrada con calefacción", "Cabina de acero y vidrio de seguridad para trabajo en exterior.", "Elevación y almacén", 215_000, kind="option", parent_sku="EL-CAR-025"),
    _P("EL-EST-MOD", "Estantería de carga paletizada (módulo)", "Módulo de 2,7 m de ancho y 6 m de alto, tres niveles de carga, 2.000 kg por nivel.", "Elevación y almacén", 112_000),
    _P("HO-LAV-CAP", "Lavavajillas industrial de capota", "Lavavajillas de capota para cestas de 50×50, ciclo de 60 segundos.", "Hostelería", 412_000),
    _P("HO-HOR-10B", "Horno mixto 10 bandejas GN 1/1", "Horno de convección y vapor con sonda de corazón y lavado automático.", "Hostelería", 1_085_000),
    _P("HO-CAM-MOD", "Cámara frigorífica modular 2×2 m", "Cámara de conservación con panel de 80 mm y equipo frigorífico compacto.", "Hostelería", 596_000),
    _P("HO-CAF-2GR", "Cafetera espresso 2 grupos", "Máquina de café profesional con molinillo a demanda.", "Hostelería", 348_000),
    _P("HO-FAB-HIE", "Fabricador de hielo 50 kg/día", "Fabricador de cubitos con depósito de 20 kg.", "Hostelería", 189_000),
    _P("HO-DES-CAL", "Descalcificador automático", "Descalcificador para lavavajillas y cafeteras, regeneración por volumen.", "Hostelería", 59_000, kind="option", parent_sku="HO-LAV-CAP"),
    _P("HO-CAF-GRA", "Café en grano 1 kg", "Mezcla 80 % arábica para hostelería.", "Hostelería", 1_890, tax_rate="10", bulk=True),
    _P("HO-CAP-100", "Cápsulas de café (caja de 100)", "Cápsulas compatibles para oficinas y salas de espera.", "Hostelería", 3_200, tax_rate="10", bulk=True),
    _P("EN-GEN-020", "Grupo electrógeno 20 kVA", "Grupo diésel insonorizado con cuadro de conmutación automática.", "Energía", 1_090_000),
    _P("EN-FV-010", "Instalación fotovoltaica de autoconsumo 10 kWp", "Paneles, inversor híbrido, estructura y legalización incluidos.", "Energía", 1_275_000),
    _P("EN-BAT-010", "Batería de almacenamiento 10 kWh", "Batería de litio ferrofosfato compatible con el inversor híbrido.", "Energía", 545_000, kind="option", parent_sku="EN-FV-010"),
    _P("EN-SAI-010", "SAI 10 kVA online", "Sistema de alimentación ininterrumpida de doble conversión.", "Energía", 389_000),
    _P("EN-CAR-VE", "Punto de recarga para vehículo eléctrico 22 kW", "Cargador de pared con gestión de potencia y lector de tarjetas.", "Energía", 168_000),
    _P("SE-INC-DET", "Sistema de detección de incendios", "Central analógica, detectores ópticos y pulsadores para hasta 2.000 m².", "Seguridad", 486_000),
    _P("SE-EXT-CO2", "Extintor de CO2 5 kg", "Extintor para riesgo eléctrico, con soporte y señalización.", "Seguridad", 8_900, bulk=True),
    _P("SE-EXT-PQS", "Extintor de polvo ABC 6 kg", "Extintor de eficacia 27A-183B-C, con soporte.", "Seguridad", 4_600, bulk=True),
    _P("SE-CCTV-08", "Videovigilancia 8 cámaras", "Grabador de 4 TB y 8 cámaras IP con visión nocturna.", "Seguridad", 265_000),
    _P("SE-ALM-KIT", "Kit de alarma con conexión a central", "Central, sensores volumétricos, sirena y teclado.", "Seguridad", 98_000),
    _P("SV-MNT-PRE", "Contrato de mantenimiento preventivo anual", "Dos revisiones al año, piezas de desgaste incluidas y prioridad en averías.", "Servicios", 95_000),
    _P("SV-MNT-INT", "Contrato de mantenimiento integral 24/7", "Mantenimiento preventivo y correctivo con asistencia 24 horas y equipo de sustitución.", "Servicios", 310_000),
    _P("SV-INS-PEM", "Instalación y puesta en marcha", "Montaje, conexionado, pruebas y entrega de documentación.", "Servicios", 65_000),
    _P("SV-FOR-JOR", "Formación de operarios (jornada)", "Jornada de formación práctica en las instalaciones del cliente.", "Servicios", 48_000),
    _P("SV-REV-REG", "Revisión reglamentaria", "Inspección periódica obligatoria con emisión de certificado.", "Servicios", 22_000),
    _P("SV-HOR-TEC", "Hora de técnico", "Mano de obra de técnico especialista.", "Servicios", 5_400, bulk=True),
    _P("SV-DES-TEC", "Desplazamiento técnico", "Desplazamiento dentro de la provincia.", "Servicios", 4_500),
    _P("SV-REN-036", "Renting 36 meses (cuota mensual)", "Cuota mensual de alquiler con mantenimiento incluido.", "Servicios", 39_000),
    _P("DO-GUI-MNT", "Guía de mantenimiento preventivo (libro)", "Manual técnico impreso, 240 páginas.", "Documentación", 3_500, tax_rate="4", bulk=True),
    _P("DO-MAN-PRL", "Manual de prevención de riesgos (libro)", "Manual impreso de prevención para operadores de carretillas.", "Documentación", 2_900, tax_rate="4", bulk=True),
    _P("AC-PIS-020", "Compresor de pistón 2 CV (descatalogado)", "Sustituido por el modelo de 3 CV.", "Aire comprimido", 69_000, active=False),
)
# fmt: on

#: Services that often close a quote (installation, maintenance, training).
SERVICE_SKUS = ("SV-INS-PEM", "SV-MNT-PRE", "SV-MNT-INT", "SV-FOR-JOR", "SV-DES-TEC")
