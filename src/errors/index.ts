export {
  type ConfigErrorCode,
  ConsentryConfigError,
  configErrorCode,
  configErrorWhen,
  MissingPackageError,
  ModuleReporterOptionsError,
  ProcessConfigError,
  ScrubberOptionsError,
  UNKNOWN_OPTION_CODE,
} from './config-error.js';
