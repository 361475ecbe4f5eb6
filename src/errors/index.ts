export {
  type ConfigErrorCode,
  ConsentryConfigError,
  configErrorCode,
  ModuleReporterOptionsError,
  ProcessConfigError,
  ScrubberOptionsError,
} from './config-error.js';
