/**
 * Resource readings: CPU time of the calling thread ({@link dev.seismo.resource.ThreadCpuTime}) and of the process
 * ({@link dev.seismo.resource.ProcessCpuTime}), and GPUs ({@link dev.seismo.resource.GpuReader}, NVML through JNA,
 * sampled on one background thread by {@link dev.seismo.resource.GpuSampler}). Missing hardware or drivers never
 * throw: readings are absent and one log line says why. {@link dev.seismo.resource.GpuProbe} checks a GPU host by
 * eye. See {@code docs/RESOURCES.md}.
 */
package dev.seismo.resource;
