/** Entry point of the workflow bundle: every workflow type the worker registers. */
export { sessionWorkflow } from './session';
export { previewWorkflow } from './preview';
export { voicePreviewWorkflow } from './voice-preview';
