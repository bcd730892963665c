# Ejercicios: la página del ejercicio, su laboratorio y el resultado de una ejecución.
labs-title = Ejercicio: { $title }
labs-breadcrumb = Ruta de navegación
labs-exercise = Ejercicio
labs-kind-sql = Ejercicio de SQL
labs-kind-http = Ejercicio de HTTP
labs-solved = Resuelto
labs-not-solved-yet = Aún sin resolver · { $count ->
    [one] { $count } intento
   *[other] { $count } intentos
}
labs-not-tried = Aún no lo has intentado
labs-sql-label = Tu SQL
labs-run-check = Ejecutar y comprobar
labs-http-label = Una petición HTTP en bruto a tu laboratorio
labs-send = Enviar petición
labs-check = Comprobar mi trabajo
labs-lab-heading = Tu laboratorio
# Va seguido de la dirección del laboratorio (código) y de labs-lab-api-after.
labs-lab-api = Tu API de práctica:
labs-lab-api-after = . Envía peticiones con tu propio cliente, por ejemplo:
labs-lab-raw-help = O escribe abajo una petición en bruto (las rutas son relativas a tu laboratorio) y envíala desde esta página.
labs-lab-history = Peticiones hasta ahora
labs-lab-none = Ninguna todavía.
labs-lab-reset = Empezar de nuevo (vaciar el laboratorio)
labs-ctrl-enter = Ctrl+Enter lo ejecuta cuando JavaScript está activado.
labs-sign-in-to-run = Inicia sesión para ejecutar este ejercicio
labs-sign-in-note = Las ejecuciones se comprueban en el servidor y cuentan para tu progreso.
labs-hints = Pistas
labs-no-hints = Este ejercicio no tiene pistas.
labs-hint-prompt = ¿Te has atascado? Muestra una pista, de una en una.
labs-show-hint = { $count ->
    [one] Mostrar una pista (queda { $count })
   *[other] Mostrar una pista (quedan { $count })
}
labs-solution = Solución
labs-show-solution = Mostrar la solución de referencia
labs-back = Volver a la lección
labs-next = Siguiente ejercicio: { $title }

# El resultado de una ejecución
labs-run-response = Respuesta
labs-run-passed = Superado
labs-run-not-yet = Todavía no
labs-rows-truncated = Se muestran las primeras { $count } filas; hay más.
labs-rows = { $count ->
    [one] { $count } fila
   *[other] { $count } filas
}

# Veredictos de una ejecución
labs-verdict-sent = Enviada. Comprueba tu trabajo cuando el historial muestre lo que pide el ejercicio.
labs-verdict-stopped = Todavía no: la ejecución se detuvo antes de poder comprobarla.
labs-verdict-no-rows = Tu SQL se ejecutó, pero no devolvió filas que comparar: termínalo con un SELECT.
labs-verdict-probe-not-run = La consulta de comprobación no se ejecutó.
labs-verdict-correct = Correcto: tu resultado coincide con el esperado.
labs-verdict-order = Las filas son correctas, pero no están en el orden que pide el ejercicio.
labs-what-result = Tu resultado
labs-what-probe = Después de tu script, la consulta de comprobación
labs-verdict-too-many-rows = { $what } devolvió más de { $max } filas; el resultado esperado tiene { $expected ->
    [one] { $expected } fila
   *[other] { $expected } filas
}.
labs-verdict-columns = { $what } tiene { $got ->
    [one] { $got } columna
   *[other] { $got } columnas
}; el resultado esperado tiene { $expected ->
    [one] { $expected } columna
   *[other] { $expected } columnas
}.
labs-verdict-rows = { $what } tiene { $got ->
    [one] { $got } fila
   *[other] { $got } filas
}; el resultado esperado tiene { $expected ->
    [one] { $expected } fila
   *[other] { $expected } filas
}.
labs-verdict-missing = { $count ->
    [one] Falta { $count } fila del resultado esperado en el tuyo, y el tuyo tiene { $count } fila que no debería estar.
   *[other] Faltan { $count } filas del resultado esperado en el tuyo, y el tuyo tiene { $count } filas que no deberían estar.
}
labs-verdict-plan-missing = El plan de la consulta todavía no muestra "{ $text }": la consulta aún no usa el camino de acceso que pide el ejercicio.
labs-verdict-plan-excluded = El plan de la consulta todavía muestra "{ $text }".
labs-verdict-plan-correct = Correcto: el plan de la consulta usa el camino de acceso que pide el ejercicio.
labs-probe-failed = Después de tu script, la consulta de comprobación falló: { $reason }
labs-dataset-fails = el conjunto de datos no se carga: { $reason }
labs-probe-fails = la consulta de comprobación falla: { $reason }
labs-reference-not-passing = la solución de referencia no supera la comprobación: { $verdict }

# Ejercicios HTTP: qué paso falta
labs-step-missing = Todavía falta el paso { $step } de { $total }: { $what }.
labs-step-found = El paso aparece en tus peticiones.
labs-steps-found = Los { $count } pasos aparecen en tus peticiones, en orden.
labs-step-method = una petición { $method }
labs-step-path = una petición a { $path }
labs-step-any = una petición
labs-step-and = { " y " }
labs-step-sending = { $request } que envíe { $headers }
labs-step-status = { $request } que reciba { $status }
labs-step-status-with = { $request } con { $headers }
labs-step-answered-with = { $request } que reciba una respuesta con { $headers }

# Mientras la solución está oculta
labs-solution-after-pass = La solución se muestra cuando aciertes.
labs-solution-after-tries = La solución se muestra cuando aciertes o tras { $count ->
    [one] { $count } intento
   *[other] { $count } intentos
}.
labs-solution-never = La solución de este ejercicio no se muestra.

# Por qué no se puede leer una petición HTTP escrita a mano
labs-raw-too-long = La petición ocupa más de { $raw } KiB; un laboratorio acepta cuerpos de hasta { $body } KiB.
labs-raw-empty = Escribe primero una petición, por ejemplo: GET /items HTTP/1.1
labs-raw-head-too-long = La línea de petición y las cabeceras ocupan más de { $kib } KiB.
labs-raw-first-line = La primera línea debe ser un método, una ruta y, si quieres, la versión, por ejemplo: GET /items HTTP/1.1
labs-raw-header-line = Cada línea después de la primera debe ser una cabecera, `Nombre: valor` (un nombre lleva letras, dígitos y -), hasta una línea en blanco antes del cuerpo.
labs-raw-header-char = Un valor de cabecera contiene un carácter que las cabeceras no admiten.
labs-raw-version = Aquí solo se entiende HTTP/1.1: termina la primera línea con HTTP/1.1 o quita la versión.
labs-raw-too-many-headers = Aquí una petición tiene como máximo { $max } cabeceras.
labs-raw-header-name = { $name } no es un nombre de cabecera.
labs-raw-header-value = El valor de { $name } tiene un carácter que una cabecera no admite.
labs-raw-transfer-encoding = Aquí no se admite Transfer-Encoding: escribe el cuerpo tal cual (Content-Length es opcional).
labs-raw-length-nan = Content-Length debe ser un número de bytes.
labs-raw-length-short = Content-Length indica { $said } bytes, pero el cuerpo solo tiene { $has }. Corrige el número o quita Content-Length.
labs-raw-own-lab = Este formulario solo envía peticiones a tu propio laboratorio: escribe la ruta como /items o como /lab/{ $token }/items.
labs-raw-full-url = Escribe solo la ruta, no una URL completa. { $own }
labs-raw-path-slash = La ruta debe empezar por /. { $own }
labs-raw-not-your-lab = Esa no es la ruta de tu laboratorio. { $own }

# Por qué se detuvo una ejecución SQL
labs-run-time-limit = Detenida: la consulta tardó más de los { $ms } ms que puede durar una ejecución.
labs-run-too-large = Detenida: el resultado ocupa más de los { $kb } KB que puede devolver una ejecución.
labs-run-out-of-memory = Detenida: la consulta necesitó más memoria de la que puede usar una ejecución ({ $mb } MB).
labs-run-refused = Aquí no está permitido: { $why }.
labs-run-sql-error = Error de SQLite: { $message }

# Marcar como completada una lección antes de resolver sus ejercicios.
labs-complete-needs-exercises = Esta lección se completa cuando resuelvas sus ejercicios: llevas { $solved } de { $total }.
