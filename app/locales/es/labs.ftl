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
