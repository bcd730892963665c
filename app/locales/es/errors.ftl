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
