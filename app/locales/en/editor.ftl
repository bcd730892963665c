# The lesson editor: index, edit page, history.

# Index
editor-title = Editor
editor-heading = Edit lessons
editor-track-created = Track created.
editor-intro = Drafts are visible only to instructors and admins. Files with problems are listed with them.
editor-draft = draft
# A lesson file that does not load; $file is its name, e.g. intro.md.
editor-file-broken = { $file } (does not load)
editor-new-lesson = New lesson
editor-track = Track
editor-field-title = Title
editor-file-name = File name
editor-file-name-help = (optional; from the title if empty)
editor-create-lesson = Create lesson
editor-new-track = New track
editor-folder-name = Folder name
editor-create-track = Create track

# Edit page
editor-edit-title = Edit { $path }
editor-breadcrumb = Breadcrumb
editor-view-lesson = View the lesson
editor-history = History
editor-restored = Revision restored and saved.
editor-saved = Saved. Learners see the change now.
editor-image-uploaded = Image uploaded. Paste this into the lesson:
# The image description in the markdown snippet to paste.
editor-image-alt = Describe the image
editor-conflict-heading = The file as it is now
editor-conflict-text = Your version is still in the editor below. Copy what you need from this one, then save again (your save will be based on this version).
editor-conflict-current = The current file
editor-conflict-changes = Changes from it to yours
editor-text-label = The whole file: front matter, text and quiz
editor-preview = Preview
editor-save = Save
editor-gift-summary = Import a GIFT question bank
editor-gift-label = Paste the .gift text (it replaces this lesson's quiz in the editor; save afterwards)
editor-gift-import = Import into the quiz
editor-upload-summary = Upload an image
editor-upload-label = PNG, JPEG, WebP or GIF, at most 2 MB
editor-upload = Upload
editor-no-problems = No problems found.
editor-problem-line = line { $line }: { $message }

# History
editor-history-title = History of { $path }
editor-loading = Loading…
editor-revision-diff = Revision { $id } compared with the one before
editor-restore = Restore revision { $id }
editor-no-revisions = No revisions yet: revisions are recorded when the lesson is saved from the editor.
editor-col-revision = Revision
editor-col-when = When (UTC)
editor-col-by = By
editor-col-hash = Hash

# After importing GIFT questions into the edited lesson.
editor-gift-imported = { $count } questions imported into the quiz. Review them, then save.
