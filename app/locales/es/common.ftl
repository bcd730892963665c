# El marco de cada página: navegación, pie, tema e idioma.
site-name = Backend Academy
skip-to-content = Saltar al contenido
nav-main = Principal
nav-lessons = Lecciones
nav-salaries = Salarios
nav-teach = Enseñar
nav-editor = Editor
nav-users = Usuarios
nav-dashboard = Panel
nav-account = Cuenta
nav-sign-in = Iniciar sesión
nav-sign-out = Cerrar sesión
footer-about = Backend Academy: un plan de estudios abierto y autoalojado para desarrolladores backend.
footer-status = Estado
theme-switch-title = Cambiar entre tema claro y oscuro
theme-toggle = Activar o desactivar el tema oscuro
lang-label = Idioma
lang-unknown = Ese idioma no está disponible. Elige English o Español.

# Página de inicio
home-title = Aprende desarrollo backend
home-description = Un portal de aprendizaje autoalojado para desarrolladores backend: lecciones, cuestionarios, progreso y datos salariales.
home-heading = Aprende desarrollo backend, lección a lección
home-lead = Backend Academy es un plan de estudios gratuito y autoalojable para quienes se están formando como desarrolladores backend: HTTP, bases de datos, APIs, pruebas y operaciones, con cuestionarios que comprueban lo que has entendido y un registro de tu progreso.
home-start = Empezar a aprender
home-who = Para quién es
home-learners = Estudiantes
home-learners-text = Lee las lecciones en cualquier dispositivo, incluso sin JavaScript, haz los cuestionarios y retoma donde lo dejaste.
home-instructors = Instructores
home-instructors-text = Escribe lecciones en markdown, en tu editor o en el navegador, y sigue el progreso de tu grupo.
home-bootcamps = Bootcamps
home-bootcamps-text = Instálalo tú mismo: un binario, un archivo SQLite y una carpeta de contenido.

# Páginas de estado
not-found-title = Página no encontrada
not-found-text = No hay ninguna página en esta dirección. Puede que se haya movido o que el enlace esté mal escrito.
forbidden-title = No permitido
forbidden-text = Tu cuenta no tiene permiso para ver esta página.
status-go-home = Ir a la página de inicio
status-or = o
status-browse = ver las lecciones

# Formularios
form-malformed = El formulario llegó incompleto o mal formado. Vuelve a rellenarlo.
form-too-large = El formulario es demasiado grande.
loading = Cargando…
