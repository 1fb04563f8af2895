#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| samlmeta_fuzz::unlzma(data));
