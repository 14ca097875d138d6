/**
 * What the OTEL_* variables say: whether spans are exported, over which OTLP protocol, and which
 * values are refused (naming the variable they came from).
 */
import { describe, expect, it } from 'vitest';
import { checkTracingEnv, otlpExportFromEnv, otlpProtocol, wantsOtlp } from '../../src/tracing/otlp-env.js';
import { ErrorCode, SkiffError } from '../../src/errors.js';

function refusal(f: () => unknown): SkiffError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(SkiffError);
    return err as SkiffError;
  }
  throw new Error('expected a SkiffError');
}

describe('wantsOtlp', () => {
  it.each([
    [{}, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }, true],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' }, true],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' }, false],
    [{ OTEL_TRACES_EXPORTER: 'otlp' }, true],
    [{ OTEL_TRACES_EXPORTER: ' OTLP ' }, true],
    [{ OTEL_TRACES_EXPORTER: 'console,otlp' }, true],
    [{ OTEL_TRACES_EXPORTER: '', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }, true],
    [{ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }, false],
    [{ OTEL_TRACES_EXPORTER: 'zipkin', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }, false],
    [{ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' }, false],
    [{ OTEL_SDK_DISABLED: 'TRUE', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }, false],
    [{ OTEL_SDK_DISABLED: 'false', OTEL_TRACES_EXPORTER: 'otlp' }, true],
  ])('%j → %s', (env, want) => {
    expect(wantsOtlp(env as NodeJS.ProcessEnv)).toBe(want);
  });
});

describe('otlpProtocol', () => {
  it.each([
    [{}, 'http/protobuf'],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: '' }, 'http/protobuf'],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }, 'http/json'],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, 'grpc'],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: ' HTTP/Protobuf ' }, 'http/protobuf'],
    [{ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc' }, 'grpc'],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' }, 'http/json'],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: '' }, 'http/json'],
  ])('%j → %s', (env, want) => {
    expect(otlpProtocol(env as NodeJS.ProcessEnv)).toBe(want);
  });

  it('refuses any other value, naming the variable it came from and the values allowed', () => {
    const generic = refusal(() => otlpProtocol({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http' }));
    expect(generic.code).toBe(ErrorCode.InvalidOption);
    expect(generic.message).toBe('OTEL_EXPORTER_OTLP_PROTOCOL="http" is not supported: use one of http/protobuf, http/json, grpc');
    // the traces variable is read first: its bad value is refused even beside a good generic one
    const traces = refusal(() => otlpProtocol({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc/json' }));
    expect(traces.message).toMatch(/^OTEL_EXPORTER_OTLP_TRACES_PROTOCOL="grpc\/json"/);
  });
});

describe('otlpExportFromEnv and checkTracingEnv', () => {
  it('is null when tracing is off, whatever the protocol variables hold', () => {
    expect(otlpExportFromEnv({ OTEL_EXPORTER_OTLP_PROTOCOL: 'bogus' })).toBeNull();
    expect(otlpExportFromEnv({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'bogus' })).toBeNull();
    expect(() => checkTracingEnv({ OTEL_EXPORTER_OTLP_PROTOCOL: 'bogus', OTEL_PROPAGATORS: 'xray' })).not.toThrow();
  });

  it('gives the protocol when on, and refuses bad protocol or propagator values', () => {
    expect(otlpExportFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toEqual({ protocol: 'grpc' });
    expect(otlpExportFromEnv({ OTEL_TRACES_EXPORTER: 'otlp' })).toEqual({ protocol: 'http/protobuf' });
    expect(refusal(() => checkTracingEnv({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'udp' })).message).toContain('OTEL_EXPORTER_OTLP_PROTOCOL');
    expect(refusal(() => checkTracingEnv({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_PROPAGATORS: 'tracecontext,xray' })).message).toContain('xray');
  });
});
