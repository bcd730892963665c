# Cuentas: inicio de sesión, registro, tu cuenta, sesiones, restablecer la
# contraseña, verificación en dos pasos y las páginas de administración de
# usuarios y del registro de auditoría.

## Inicio de sesión y registro
auth-sign-in = Iniciar sesión
auth-sign-in-with = Iniciar sesión con { $name }
auth-new-here = ¿Primera vez aquí?
auth-create-account = Crear una cuenta
auth-already-registered = ¿Ya tienes cuenta?
auth-email = Correo electrónico
auth-password = Contraseña
auth-forgot-title = ¿Olvidaste tu contraseña?
auth-register-lead = Una cuenta guarda tu progreso y tus puntuaciones en los cuestionarios. Para leer no hace falta.
auth-your-name = Tu nombre
auth-password-help = Al menos 8 caracteres. Las frases largas son buenas; las contraseñas comunes se rechazan.
# Seguido de auth-invite-code-help en letra más pequeña.
auth-invite-code = Código de invitación del grupo
auth-invite-code-help = (si tu instructor te dio uno)
auth-create-account-button = Crear cuenta

## Avisos tras una acción
auth-done-password = Tu contraseña se ha cambiado. Se ha cerrado la sesión en los demás dispositivos.
auth-done-everywhere = Se ha cerrado tu sesión en todos los dispositivos.
auth-done-role = El rol se ha cambiado.
auth-done-reset = Tu contraseña se ha cambiado y se han cerrado todas las sesiones. Inicia sesión con la nueva.
auth-done-session = Esa sesión se ha cerrado.
auth-done-disabled = La cuenta se ha desactivado y se ha cerrado su sesión en todos los dispositivos.
auth-done-enabled = La cuenta se ha activado.
auth-done-ended = Se han cerrado todas las sesiones de la cuenta.
auth-done-deleted = La cuenta se ha eliminado.

## Tu cuenta
auth-account-title = Tu cuenta
auth-name = Nombre
auth-role = Rol
auth-role-learner = estudiante
auth-role-instructor = instructor
auth-role-admin = administrador
auth-change-password = Cambiar la contraseña
auth-current-password = Contraseña actual
auth-new-password = Contraseña nueva
auth-your-password = Tu contraseña
# Seguido de un enlace con el texto de auth-two-factor.
auth-two-factor-lead = Pide un código de una aplicación de tu teléfono después de la contraseña:
auth-sessions = Sesiones
auth-sign-out-everywhere-lead = ¿Has iniciado sesión en un dispositivo compartido o perdido? Cierra todas las sesiones, también esta.
auth-sign-out-everywhere = Cerrar sesión en todas partes
auth-your-sessions = Tus sesiones
# "Firefox on Linux · 127.0.0.1 · última actividad 1 dic 2026, 14:05 UTC"
auth-last-seen = última actividad
# Marca la sesión del navegador que está viendo la página.
auth-this-session = (esta sesión)
auth-end-session = Cerrar
auth-your-data = Tus datos
auth-export = Descargar todo lo que se guarda sobre ti (JSON)
auth-delete-title = Eliminar tu cuenta
auth-delete-lead = Se eliminan tu nombre, tu correo, tu contraseña, tus sesiones, tus intentos de cuestionario y tus respuestas a los ejercicios. Las lecciones completadas se conservan de forma anónima ("deleted learner"), para que las cifras de tu grupo sigan siendo correctas.
auth-delete-code = o, con la verificación en dos pasos activada, un código actual
auth-delete-understand = Entiendo que esto no se puede deshacer
auth-delete-submit = Eliminar mi cuenta

## ¿Olvidaste tu contraseña? / elegir una nueva
auth-forgot-sent = Si hay una cuenta con esta dirección, le hemos enviado un enlace para restablecer la contraseña. Funciona una sola vez, durante 24 horas.
auth-forgot-email = El correo de tu cuenta
auth-forgot-send = Envíame un enlace para restablecerla
auth-forgot-no-mail = Aquí no está configurado el restablecimiento de contraseña por correo. Pide un enlace a un administrador.
auth-back-to-sign-in = Volver a iniciar sesión
auth-reset-title = Elige una contraseña nueva
auth-reset-submit = Guardar la contraseña y cerrar sesión en todas partes
auth-reset-invalid = Este enlace para restablecer la contraseña no se puede usar: ya se usó, tiene más de 24 horas o se copió incompleto.
auth-reset-ask-again = Pedir un enlace nuevo

## Administración: usuarios
auth-users-title = Usuarios
auth-actions = Acciones
# Tras el rol del propio administrador en la lista de usuarios.
auth-you = (tú)
# Etiqueta oculta del menú de rol de una cuenta.
auth-role-of = Rol de { $name }
auth-save = Guardar
auth-reset-link = Enlace para restablecer
auth-enable = Activar
auth-disable = Desactivar
auth-end-sessions = Cerrar sesiones
# Etiqueta de la casilla que confirma que se elimina una cuenta.
auth-delete-user = eliminar a { $name }
auth-delete = Eliminar
# Seguido del propio enlace.
auth-reset-link-shown = Enlace para restablecer la contraseña (válido 24 horas, una sola vez; no se vuelve a mostrar):

## Administración: registro de auditoría
auth-audit-log = Registro de auditoría
auth-audit-lead = Quién hizo qué en qué cuenta, cuándo y desde qué dirección (lo más reciente primero, las últimas 500 entradas).
auth-audit-when = Cuándo (UTC)
auth-audit-who = Quién
auth-audit-what = Qué
auth-audit-account = Cuenta
auth-audit-from = Desde
auth-audit-detail = Detalle

## Verificación en dos pasos
auth-two-factor = Verificación en dos pasos
auth-two-factor-off-done = La verificación en dos pasos está desactivada. Ahora para iniciar sesión solo necesitas tu contraseña.
auth-two-factor-required = Tu rol debe usar la verificación en dos pasos. Actívala aquí para continuar; mientras tanto puedes seguir usando la página de tu cuenta, las lecciones y cerrar sesión.
auth-two-factor-codes = La verificación en dos pasos está activada. Estos son tus códigos de recuperación: cada uno te permite iniciar sesión una vez si pierdes el teléfono. Anótalos o imprímelos ahora; no se vuelven a mostrar.
auth-two-factor-on = La verificación en dos pasos está activada: al iniciar sesión, después de la contraseña se te pide un código de tu aplicación de autenticación.
auth-two-factor-recovery-left = Códigos de recuperación sin usar: { $count }.
auth-two-factor-turn-off = Desactivarla
auth-two-factor-off-button = Desactivar la verificación en dos pasos
auth-two-factor-setup-lead = Después de la contraseña, al iniciar sesión se te pedirá un código de 6 dígitos de una aplicación de autenticación de tu teléfono (cualquier aplicación de códigos TOTP).
auth-two-factor-step-scan = Escanea este código QR con la aplicación o escribe en ella el secreto que aparece debajo.
auth-two-factor-step-confirm = Escribe el código que muestra la aplicación para confirmar.
auth-two-factor-qr = Código QR del secreto
# Seguido del secreto.
auth-two-factor-secret = Secreto:
auth-two-factor-app-code = Código de la aplicación
auth-two-factor-on-button = Activar la verificación en dos pasos
auth-back-to-account = Volver a tu cuenta
auth-two-factor-login-lead = Escribe el código de 6 dígitos que muestra tu aplicación de autenticación para Backend Academy, o uno de tus códigos de recuperación.
auth-code = Código
# Seguido de un enlace con el texto de auth-start-again.
auth-no-code = ¿No tienes código?
auth-start-again = Empezar de nuevo

# La lista de sesiones nombra los navegadores: "Firefox en Linux".
auth-browser-on = { $browser } en { $system }
auth-browser-unknown = navegador desconocido

# El correo para restablecer la contraseña (texto plano).
auth-mail-reset-subject = Restablece tu contraseña de Backend Academy
auth-mail-reset-hello = Hola, { $name }:
auth-mail-reset-asked =
    Alguien (esperamos que tú) ha pedido restablecer la contraseña de tu cuenta de Backend Academy.
    Abre este enlace en las próximas 24 horas para elegir una contraseña nueva (solo funciona una vez):
auth-mail-reset-ignore = Si no has sido tú, ignora este correo: tu contraseña sigue siendo la misma.
