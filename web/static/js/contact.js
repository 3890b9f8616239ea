// The contact page: reasons show the date their words name as you type.
import { wireForms } from './whenpreview.js';

wireForms();
