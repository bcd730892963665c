# El explorador de salarios, /salaries.
salaries-title = Salarios
salaries-description = Lo que ganan los desarrolladores backend, por puesto, país y experiencia, cada cifra con su fuente.
salaries-heading = Cuánto se paga por el trabajo backend
salaries-lead = Cada cifra procede de una fuente con nombre. Las medianas, las medias y las cifras de encuestas se indican como tales; compara cifras comparables.
salaries-why-heading = Por qué difieren las cifras de distintas fuentes
salaries-why-median = La mediana es la cifra central; la media (promedio) sube por unos pocos salarios altos. No son intercambiables.
salaries-why-sources = La Oficina de Estadísticas Laborales de EE. UU. (BLS) informa de los salarios de los empleados en Estados Unidos por ocupación; la encuesta de Stack Overflow informa de la compensación total que sus participantes decidieron declarar, en todo el mundo, convertida a dólares estadounidenses al tipo de cambio de un solo día.
salaries-why-occupations = Las ocupaciones se definen de forma distinta: los “desarrolladores de software” de las estadísticas oficiales no son el mismo grupo que los participantes de la encuesta que se consideran “desarrolladores back-end”.
salaries-why-small = Las muestras pequeñas (menos de 100 respuestas) se señalan: una respuesta más puede cambiarlas mucho.
salaries-why-quoted = Las cifras citadas en artículos sin su fuente original se muestran tal como se citan, y se indica así.

# Los filtros
salaries-any = Cualquiera
salaries-role = Puesto
salaries-country = País
salaries-experience = Experiencia
salaries-source = Fuente
salaries-show-for = Mostrar cifras de
salaries-compare-summary = Comparar con una segunda selección
salaries-compare-with = Comparar con
salaries-show = Mostrar cifras
salaries-reset = Restablecer

# Los resultados
salaries-selection-a = Selección A
salaries-selection-b = Selección B
salaries-figures = Cifras
salaries-count = { $n } { $count ->
        [one] cifra
       *[other] cifras
    }
salaries-none = Ninguna cifra coincide con esta selección. El conjunto de datos no tiene cifras para ella; no se estima ninguna.
salaries-chart-title = Cifras de salario anual
salaries-chart-desc = Gráfico de barras de { $n } { $count ->
        [one] cifra salarial
       *[other] cifras salariales
    } en dólares estadounidenses, de mayor a menor. La tabla de abajo recoge las mismas cifras con sus fuentes.
salaries-chart-legend = Barras: azul = mediana, naranja = media (promedio). * = muestra pequeña (menos de 100 respuestas).
salaries-table-caption = Todas las cifras, con su fuente
salaries-col-amount = Importe
salaries-col-statistic = Estadístico
salaries-col-year = Año
salaries-col-sample = Muestra
salaries-sample = n = { $n }
salaries-sample-small = n = { $n } (muestra pequeña)
salaries-not-stated = no consta
salaries-stat-median = mediana
salaries-stat-mean = media (promedio)
salaries-stat-percentile = percentil { $n }
