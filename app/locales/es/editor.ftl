# El editor de lecciones: índice, página de edición, historial.

# Índice
editor-title = Editor
editor-heading = Editar lecciones
editor-track-created = Ruta creada.
editor-intro = Los borradores solo los ven instructores y administradores. Los archivos con problemas aparecen con ellos.
editor-draft = borrador
# Un archivo de lección que no carga; $file es su nombre, p. ej. intro.md.
editor-file-broken = { $file } (no carga)
editor-new-lesson = Nueva lección
editor-track = Ruta
editor-field-title = Título
editor-file-name = Nombre del archivo
editor-file-name-help = (opcional; si lo dejas vacío, se toma del título)
editor-create-lesson = Crear lección
editor-new-track = Nueva ruta
editor-folder-name = Nombre de la carpeta
editor-create-track = Crear ruta

# Página de edición
editor-edit-title = Editar { $path }
editor-breadcrumb = Ruta de navegación
editor-view-lesson = Ver la lección
editor-history = Historial
editor-restored = Revisión restaurada y guardada.
editor-saved = Guardado. Los estudiantes ya ven el cambio.
editor-image-uploaded = Imagen subida. Pega esto en la lección:
# La descripción de la imagen en el fragmento de markdown que se pega.
editor-image-alt = Describe la imagen
editor-conflict-heading = El archivo tal como está ahora
editor-conflict-text = Tu versión sigue en el editor de abajo. Copia lo que necesites de esta y vuelve a guardar (tu guardado se basará en esta versión).
editor-conflict-current = El archivo actual
editor-conflict-changes = Cambios de esta versión a la tuya
editor-text-label = El archivo completo: front matter, texto y cuestionario
editor-preview = Vista previa
editor-save = Guardar
editor-gift-summary = Importar un banco de preguntas GIFT
editor-gift-label = Pega el texto .gift (sustituye el cuestionario de esta lección en el editor; guarda después)
editor-gift-import = Importar al cuestionario
editor-upload-summary = Subir una imagen
editor-upload-label = PNG, JPEG, WebP o GIF, de 2 MB como máximo
editor-upload = Subir
editor-no-problems = No se encontraron problemas.
editor-problem-line = línea { $line }: { $message }

# Historial
editor-history-title = Historial de { $path }
editor-loading = Cargando…
editor-revision-diff = Revisión { $id } comparada con la anterior
editor-restore = Restaurar la revisión { $id }
editor-no-revisions = Todavía no hay revisiones: se registran cuando la lección se guarda desde el editor.
editor-col-revision = Revisión
editor-col-when = Cuándo (UTC)
editor-col-by = Autor
editor-col-hash = Hash

# Tras importar preguntas GIFT a la lección que se edita.
editor-gift-imported = { $count ->
    [one] Se ha importado { $count } pregunta al cuestionario. Revísala y guarda.
   *[other] Se han importado { $count } preguntas al cuestionario. Revísalas y guarda.
}
