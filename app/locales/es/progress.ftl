# Progreso: panel, barras de progreso, botón de lección completada, grupos y
# las páginas del instructor.

# Barras de progreso ("3 de 8 · 37 %")
progress-all-lessons = Todas las lecciones
progress-all-exercises = Ejercicios resueltos
progress-bar-text = { $done } de { $total } · { $pct } %
progress-bar-lessons-label = { $title }: { $done } de { $total } lecciones completadas
progress-bar-exercises-label = { $title }: { $done } de { $total } ejercicios resueltos
progress-percent = { $pct } %

# Panel
progress-dashboard-title = Panel
progress-welcome = Te damos la bienvenida, { $name }
progress-resume = Continúa donde lo dejaste:
progress-all-done = Completaste todas las lecciones. ¡Bien hecho!
progress-start = Empezar a aprender
progress-your-progress = Tu progreso
progress-exercises = Ejercicios
progress-no-exercises = Todavía no has resuelto ningún ejercicio. Las lecciones con una tarjeta de ejercicio los tienen.
progress-col-lesson = Lección
progress-col-solved = Resueltos
progress-solved-of = { $solved } de { $total }
progress-quiz-scores = Puntuaciones de cuestionarios
progress-no-quizzes = Todavía no has hecho ningún cuestionario. Cada lección termina con uno.
progress-col-best = Mejor puntuación
progress-col-attempts = Intentos
progress-activity = Actividad
progress-your-cohorts = Tus grupos

# Mapa de actividad
progress-heatmap-summary = Con actividad { $active } de los últimos { $days } días.
progress-heatmap-title = Días con actividad, últimas 12 semanas
progress-day-active = { $date }: con actividad
progress-day-inactive = { $date }: sin actividad

# Botón de lección completada
progress-mark-completed = ✓ Completaste esta lección.
progress-mark-prompt = ¿Terminaste de leer?
progress-mark-undo = Marcar como no completada
progress-mark-complete = Marcar como completada

# Unirse a un grupo (página de la cuenta)
progress-join-heading = Unirte a un grupo
progress-joined = Te uniste al grupo.
progress-invite-code = Código de invitación
progress-join = Unirme

# Instructor: grupos
progress-teach-title = Enseñar
progress-create-heading = Crear un grupo
progress-cohort-name = Nombre
progress-cohort-name-placeholder = Clase de tarde, primavera 2027
progress-create-cohort = Crear grupo
progress-no-cohorts = Todavía no hay grupos. Crea uno abajo y comparte su código de invitación.
# Tras el nombre del grupo y " · "; le sigue el código.
progress-cohort-summary =
    { $count ->
        [one] { $n } estudiante
       *[other] { $n } estudiantes
    } · código de invitación

# Instructor: la matriz de un grupo
progress-breadcrumb = Ruta de navegación
progress-cohorts = Grupos
# Entre el código de invitación y la dirección de registro.
progress-invite-how = — los estudiantes lo introducen al registrarse o en la página de su cuenta, o siguen
progress-download-csv = Descargar CSV
progress-quiz-stats = Estadísticas de cuestionarios y respuestas abiertas
progress-sort-by = Ordenar por:
progress-sort-name = nombre
progress-sort-progress = progreso
progress-sort-idle = días sin actividad
progress-no-learners = Todavía no se ha unido ningún estudiante.
progress-matrix-legend = Estudiantes por lección: ✓ completada, ○ visitada, · sin empezar; mejor puntuación del cuestionario en porcentaje
progress-col-learner = Estudiante
progress-col-done = Completadas
progress-col-inactive = Inactividad
progress-idle-days = { $days } d
progress-never-active = sin actividad
progress-completion = Finalización
progress-completion-percent = { $pct } %
# Alternativas de texto de las marcas de la matriz ✓ ○ ·
progress-status-done = completada
progress-status-visited = visitada
progress-status-not-started = sin empezar
