# El cuestionario al final de una lección, su resultado, los intentos
# anteriores y la revisión de los instructores.
quiz-heading = Comprueba lo que has entendido
quiz-visitor-before = Puedes hacer el cuestionario sin cuenta;
quiz-visitor-link = inicia sesión
quiz-visitor-after = para guardar tu puntuación.
quiz-rules-pass-mark = Nota mínima para aprobar: { $mark } %.
quiz-rules-reveal-after-attempt = Las respuestas correctas y los comentarios se muestran después de cada intento.
quiz-rules-reveal-after-pass = Las respuestas correctas y los comentarios se muestran cuando apruebas.
quiz-rules-reveal-never = Las respuestas correctas no se muestran; ves tu puntuación.
quiz-rules-attempts = Tienes { $count } { $count ->
        [one] intento
       *[other] intentos
    }.
quiz-question-number = Pregunta { $n }
quiz-true = Verdadero
quiz-false = Falso
quiz-select-all = Selecciona todas las opciones correctas.
quiz-your-answer = Tu respuesta
quiz-your-answer-number = Tu respuesta (un número)
quiz-essay-help = Un instructor califica esta respuesta.
quiz-submit = Enviar respuestas

# Página del cuestionario e intentos
quiz-page-title = Cuestionario: { $title }
quiz-breadcrumb = Ruta de navegación
quiz-breadcrumb-lessons = Lecciones
quiz-breadcrumb-quiz = Cuestionario
quiz-sign-in-to-keep = Inicia sesión para guardar tus puntuaciones.
quiz-try-again = Intentar de nuevo
quiz-back-to-lesson = Volver a la lección
quiz-attempts-title = Intentos del cuestionario: { $title }
quiz-breadcrumb-attempts = Intentos del cuestionario
quiz-attempts-col-when = Cuándo (UTC)
quiz-attempts-col-score = Puntuación
quiz-attempts-col-result = Resultado
quiz-attempt-passed = aprobado
quiz-attempt-not-passed = no aprobado
quiz-your-attempts = Tus intentos
quiz-no-attempts = Todavía no hay intentos.
quiz-take-again = Volver a hacer el cuestionario

# El resultado
quiz-result-score = Tu puntuación: { $percent } %
quiz-result-passed = Aprobado (nota mínima { $mark } %). La lección se ha marcado como completada.
quiz-result-not-passed = Aún no has aprobado: la nota mínima es { $mark } %. Repasa la lección y vuelve a intentarlo.
quiz-result-keys-hidden-after-attempt = Las respuestas correctas y los comentarios no se muestran en este intento (el cuestionario de esta lección los muestra después de cada intento).
quiz-result-keys-hidden-after-pass = Las respuestas correctas y los comentarios no se muestran en este intento (el cuestionario de esta lección los muestra cuando apruebas con la sesión iniciada).
quiz-result-keys-hidden-never = Las respuestas correctas y los comentarios no se muestran en este intento (el cuestionario de esta lección no los muestra nunca).
quiz-result-keys-hidden-later = Las respuestas correctas y los comentarios no se muestran en este intento (el cuestionario de esta lección los muestra más adelante).
quiz-result-keys-hidden-other = Las respuestas correctas y los comentarios no se muestran en este intento (el cuestionario de esta lección los muestra: { $hint }).
quiz-result-essay = — respuesta abierta, calificada por un instructor
quiz-result-right = — correcta ({ $percent } %)
quiz-result-partly-right = — parcialmente correcta ({ $percent } %)
quiz-result-wrong = — incorrecta ({ $percent } %)
quiz-result-your-answer = Tu respuesta: { $answer }
quiz-result-no-answer = (sin respuesta)
quiz-result-right-answer = Respuesta correcta: { $answer }
quiz-result-waiting = Pendiente de la nota de un instructor.
quiz-result-instructor-mark = Nota del instructor: { $mark } %
quiz-result-instructor-comment = Comentario del instructor: { $comment }

# La revisión de los cuestionarios de un grupo
quiz-review-title = Cuestionarios: { $cohort }
quiz-breadcrumb-cohorts = Grupos
quiz-breadcrumb-quizzes = Cuestionarios
quiz-review-help = Facilidad: la puntuación media en una pregunta. Discriminación: lo bien que la pregunta separa a quienes obtienen buenos resultados en el resto del cuestionario de quienes no (correlación, como en las estadísticas de cuestionarios de Moodle; vacía cuando las puntuaciones no varían).
quiz-review-download = Descargar estadísticas (CSV)
quiz-review-none = Todavía no hay intentos de cuestionarios.
quiz-review-col-question = Pregunta
quiz-review-col-type = Tipo
quiz-review-col-attempts = Intentos
quiz-review-col-facility = Facilidad
quiz-review-col-discrimination = Discriminación
quiz-review-col-wrong = Respuesta incorrecta más elegida
quiz-review-lesson = { $title } ({ $n } { $count ->
        [one] intento
       *[other] intentos
    })
quiz-review-essays = Respuestas abiertas
quiz-review-marked = Calificada: { $mark } %
quiz-review-not-marked = Aún sin calificar.
quiz-review-mark-label = Nota (%)
quiz-review-comment-label = Comentario
quiz-review-save-mark = Guardar nota
