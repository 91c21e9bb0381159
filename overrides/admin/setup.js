// Runs before Decap CMS: the editor is started by minutes-cms.js, once the record format is registered.
window.CMS_MANUAL_INIT = true;
