# Frases de las peticiones rechazadas (AppError), que se muestran en los
# recuadros de error de los formularios y en las islas. (form-malformed y
# form-too-large, en common.ftl, son dos más.)

## Los errores fijos
err-unauthorized = Inicia sesión para continuar.
err-bad-credentials = Ese correo y esa contraseña no coinciden con ninguna cuenta.
err-forbidden = No tienes permiso para hacer eso.
err-internal = Algo ha fallado por nuestra parte. No se ha guardado nada; vuelve a intentarlo.
err-unreachable = No se ha podido contactar con el servidor. Comprueba tu conexión y vuelve a intentarlo.

## No encontrado
err-no-such-attempt = Ese intento no existe.
err-no-such-cohort = Ese grupo no existe.
err-no-such-essay = Esa respuesta de redacción no existe en este grupo.
err-no-such-exercise = Ese ejercicio no existe.
err-no-such-lesson = Esa lección no existe.
err-no-such-quiz = Ese cuestionario no existe.
err-no-such-revision = Esa revisión no existe.
err-no-such-user = Ese usuario no existe.
err-no-such-track = Esa ruta no existe.
err-unknown-lesson = Lección desconocida.

## Cuentas, inicio de sesión y verificación en dos pasos
err-email-taken = Ya existe una cuenta con este correo. Inicia sesión o usa otro correo.
err-invite-needed = Para registrarte necesitas un código de invitación de tu instructor.
err-invite-invalid = Ese código de invitación no es válido. Compruébalo con tu instructor.
err-account-disabled = Un administrador ha desactivado esta cuenta. Pídele que la active.
err-current-password-wrong = Tu contraseña actual no es correcta.
err-password-wrong-2fa-stays = Tu contraseña no es correcta; la verificación en dos pasos sigue activada.
err-not-your-password = Esa no es tu contraseña (ni un código actual de tu autenticador); no se ha borrado nada.
err-reset-not-set-up = Aquí no está configurado el restablecimiento de contraseña por correo; pide a un administrador un enlace de restablecimiento.
err-reset-link-unusable = Este enlace de restablecimiento no se puede usar: ya se usó, tiene más de 24 horas o se copió incompleto. Pide uno nuevo.
err-session-ended = Esa sesión ya ha terminado o no es tuya.
err-own-account = Aquí no puedes hacerle eso a tu propia cuenta; usa la página de tu cuenta o pídeselo a otro administrador.
err-own-role = No puedes cambiar tu propio rol; pídeselo a otro administrador (así siempre queda al menos uno).
err-confirm-delete = Marca la casilla para confirmar: el borrado no se puede deshacer.
err-no-host = La petición no tiene cabecera Host.
err-mfa-required = Tu rol debe usar la verificación en dos pasos: actívala primero en /account/2fa.
err-2fa-already-on = La verificación en dos pasos ya está activada en esta cuenta.
err-2fa-no-secret = Abre de nuevo la página de verificación en dos pasos para obtener primero un secreto.
err-2fa-secret-changed = El secreto ha cambiado entretanto. Abre de nuevo la página de verificación en dos pasos.
err-2fa-code-wrong-clock = Ese código no es correcto. Escribe el código de 6 dígitos que muestra ahora tu aplicación (comprueba que la hora de tu teléfono sea correcta).
err-2fa-code-wrong = Ese código no es correcto. Escribe el código de 6 dígitos que muestra ahora tu aplicación o un código de recuperación sin usar.
err-2fa-code-used = Ese código ya se ha usado. Espera al siguiente código de tu aplicación y escríbelo.
err-2fa-expired = Tu inicio de sesión esperó demasiado el código (5 minutos) o no se llegó a iniciar. Vuelve a iniciar sesión con tu contraseña.

## Progreso y grupos
err-cohort-name = Ponle al grupo un nombre de 1 a 100 caracteres.
err-done-or-not = El formulario no indicó ni hecho ni no hecho.

## Cuestionarios
err-quiz-form-too-large = El formulario del cuestionario es demasiado grande.
err-quiz-form-malformed = El formulario del cuestionario llegó mal formado. Vuelve a cargar el cuestionario e inténtalo de nuevo.
err-quiz-no-token = Al formulario del cuestionario le falta su identificador de intento. Vuelve a cargar el cuestionario e inténtalo de nuevo.
err-quiz-unknown-field = El formulario menciona una pregunta que este cuestionario no tiene. Vuelve a cargar el cuestionario e inténtalo de nuevo.
err-mark-range = Una nota es un porcentaje de 0 a 100.
err-comment-too-long = El comentario es demasiado largo (como máximo 2000 caracteres).

## Ejercicios
err-exercise-unknown-action = El formulario pidió algo que esta página no hace. Vuelve a cargarla e inténtalo de nuevo.
err-exercise-wrong-button = Ese botón no pertenece a este ejercicio. Vuelve a cargar la página.
err-exercise-empty-answer = La casilla de respuesta está vacía: escribe una consulta y luego ejecútala.
err-exercise-no-result = Esa acción no tiene ningún resultado que mostrar.
err-exercise-busy = Ya tienes una ejecución en curso. Espera a que termine.

## Editor
err-text-too-large = El texto es demasiado grande (como máximo 1 MiB).
err-not-saved-problems = No se ha guardado: corrige primero los problemas de la lista de abajo. Tu texto se conserva.
err-not-saved-conflict = No se ha guardado: esta lección cambió desde que la abriste (otro guardado o un cambio en el disco). Abajo están las dos versiones; no se ha sobrescrito nada.
err-bank-errors = El banco de preguntas tiene errores (en la lista de abajo); no se ha importado nada.
err-revision-unloadable = Esa revisión ya no se puede cargar (por ejemplo, porque su id lo usa ahora otra lección).
err-bad-name = Los nombres solo pueden tener letras minúsculas, dígitos y guiones (como máximo 64 caracteres).
err-path-outside = Esa ruta está fuera de la carpeta de contenido.
err-upload-not-multipart = Envía la imagen como un formulario de subida de archivos.
err-upload-cut-off = La subida se cortó o supera los 2 MB.
err-upload-no-file = Elige un archivo de imagen para subir.
err-upload-too-large = Las imágenes pueden ocupar como máximo 2 MB.
err-upload-type = Solo se aceptan imágenes PNG, JPEG, WebP y GIF (se comprueba por el contenido del archivo).

## Salarios
err-selection-too-long = La selección es demasiado larga.
err-selection-unreadable = No se ha podido leer la selección.

## Frases con valores (se construyen donde se producen, con t!)
err-lesson-exists = Ya existe una lección llamada `{ $slug }` en esta ruta.
err-track-exists = Ya existe una ruta llamada `{ $slug }`.
err-title-length = { $what ->
    [lesson] Ponle a la lección
   *[other] Ponle a la ruta
} un título de 1 a 120 caracteres.
err-email-too-long = Una dirección de correo tiene como máximo { $max } caracteres.
err-locked-try-again = { $why } Vuelve a intentarlo dentro de { $minutes ->
    [one] { $minutes } minuto
   *[other] { $minutes } minutos
}.
err-too-many-sign-ins = Demasiados inicios de sesión fallidos con este correo.
err-too-many-wrong-passwords = Demasiadas contraseñas incorrectas para esta cuenta.
err-quiz-attempts-used = { $max ->
    [one] Ya has usado tu único intento
   *[other] Ya has usado los { $max } intentos
} de este cuestionario.
err-quiz-forged = La respuesta a la pregunta { $question } no es una de sus opciones. Recarga el cuestionario y vuelve a intentarlo.
err-quiz-duplicate = La pregunta { $question } se respondió dos veces. Recarga el cuestionario y vuelve a intentarlo.
err-quiz-answer-too-long = La respuesta a la pregunta { $question } es demasiado larga (como máximo 20.000 caracteres).
err-answer-too-long = La respuesta ocupa más de { $kb } KB. Acórtala y vuelve a ejecutarla.
err-request-unreadable = No se ha podido leer la petición: { $reason }
err-request-malformed = La petición llegó mal formada ({ $detail }). Recarga la página y vuelve a intentarlo.
err-lab-no-dataset = El conjunto de datos `{ $name }` del ejercicio no existe.
err-lab-reference-fails = La solución de referencia del ejercicio falla: { $reason }
err-salaries-no-figures = No hay cifras para { $field ->
    [role] el puesto
    [country] el país
    [experience] la experiencia
   *[source] la fuente
} «{ $value }». Elige un valor de la lista.

## Contraseñas nuevas, correos y nombres
err-password-too-short = Usa al menos { $min } caracteres en tu contraseña.
err-password-too-long = Usa como máximo { $max } caracteres en tu contraseña.
err-password-common = Esa contraseña está en una lista de contraseñas muy usadas; elige otra.
err-email-invalid = Escribe una dirección de correo como nombre@ejemplo.com.
err-name-empty = Escribe el nombre que verán los demás.
err-name-too-long = Usa un nombre de como máximo 80 caracteres.

## Inicio de sesión con una cuenta del centro (OpenID Connect)
err-oidc-unavailable = Ahora mismo no se puede iniciar sesión con { $provider }. Inicia sesión con tu contraseña o vuelve a intentarlo dentro de unos minutos.
err-oidc-no-pending = Este inicio de sesión no empezó aquí, ya se usó o tardó demasiado. Vuelve a empezar desde la página de inicio de sesión.
err-oidc-wrong-state = La respuesta del proveedor de identidad no corresponde a este inicio de sesión. Vuelve a empezar desde la página de inicio de sesión.
err-oidc-provider-refused = El proveedor de identidad no ha iniciado tu sesión ({ $reason }). Vuelve a empezar desde la página de inicio de sesión.
err-oidc-bad-token = No se ha podido verificar la respuesta del proveedor de identidad (puede que haya caducado). Vuelve a empezar desde la página de inicio de sesión.
err-oidc-unverified-email = Tu cuenta en el proveedor de identidad no tiene un correo verificado, así que no se puede asociar a ninguna cuenta de aquí.
err-oidc-domain = Las cuentas de { $domain } no pueden iniciar sesión aquí. Usa el correo de tu centro o pregunta a tu instructor.
err-oidc-no-account = Aquí no hay ninguna cuenta para { $email } y no se admiten cuentas nuevas. Pídele una a tu instructor.
err-oidc-not-configured = En este servidor no está configurado el inicio de sesión con una cuenta del centro.
