/**
 * The Ingress translation settings the command line gives, shared by the router and `skiff check`
 * so that a check translates exactly as the router would. Each listener then adds its classes.
 */
import type { TranslateOptions } from '../kubernetes/translate/index.js';
import type { CliOptions } from './options.js';

export function translateOptionsFrom(opts: CliOptions): Omit<TranslateOptions, 'ingressClasses'> {
  return {
    // With several listeners, the cluster's default class must not join every listener's classes:
    // an `internal` default class would then leak onto the external listener. Each listener serves
    // the classes it lists; class-less Ingresses go to the listener that lists the default class.
    acceptDefaultClass: opts.listeners.length === 0,
    healthcheckSources: opts.healthCheckSourceRanges,
    externalNames: opts.enableKubernetesExternalNames,
    onlyAllowedExternalNames: opts.kubernetesOnlyAllowedExternalNames,
    allowedExternalNames: opts.kubernetesAllowedExternalNames,
  };
}
