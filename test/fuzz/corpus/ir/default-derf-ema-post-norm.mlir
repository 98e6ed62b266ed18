module attributes {nf.model = "derf-ema-post-norm"} {
  nf.param @embed.tokens : tensor<256x64xf32> init <normal(2.000000e-02)> group <embedding> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @embed.positions : tensor<64x64xf32> init <normal(2.000000e-02)> group <embedding> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @embed.scale : tensor<f32> init <constant(8.000000e+00)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.0.attn.wq : tensor<64x64xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.0.attn.wk : tensor<64x64xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.0.attn.wv : tensor<64x64xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.0.attn.wo : tensor<64x64xf32> init <normal(1.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.0.attn_norm.alpha : tensor<f32> init <constant(3.000000e-01)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.0.attn_norm.shift : tensor<f32> init <constant(0.000000e+00)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.0.attn_norm.running_rms : tensor<f32> init <constant(1.000000e+00)> group <state>
  nf.param @layers.0.attn_norm.scale : tensor<64xf32> init <ones> group <scale> role <output> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.0.ffn.w_up : tensor<256x64xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.0.ffn.w_down : tensor<64x256xf32> init <normal(1.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.0.ffn_norm.alpha : tensor<f32> init <constant(3.000000e-01)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.0.ffn_norm.shift : tensor<f32> init <constant(0.000000e+00)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.0.ffn_norm.running_rms : tensor<f32> init <constant(1.000000e+00)> group <state>
  nf.param @layers.0.ffn_norm.scale : tensor<64xf32> init <ones> group <scale> role <output> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.1.attn.wq : tensor<64x64xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.1.attn.wk : tensor<64x64xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.1.attn.wv : tensor<64x64xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.1.attn.wo : tensor<64x64xf32> init <normal(1.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.1.attn_norm.alpha : tensor<f32> init <constant(3.000000e-01)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.1.attn_norm.shift : tensor<f32> init <constant(0.000000e+00)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.1.attn_norm.running_rms : tensor<f32> init <constant(1.000000e+00)> group <state>
  nf.param @layers.1.attn_norm.scale : tensor<64xf32> init <ones> group <scale> role <output> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.1.ffn.w_up : tensor<256x64xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.1.ffn.w_down : tensor<64x256xf32> init <normal(1.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.1.ffn_norm.alpha : tensor<f32> init <constant(3.000000e-01)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.1.ffn_norm.shift : tensor<f32> init <constant(0.000000e+00)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.1.ffn_norm.running_rms : tensor<f32> init <constant(1.000000e+00)> group <state>
  nf.param @layers.1.ffn_norm.scale : tensor<64xf32> init <ones> group <scale> role <input> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @lm_head.weight : tensor<256x64xf32> init <normal(2.000000e-02)> group <head> weight_decay(1.000000e-01) optimizer <adamw>
  func.func @forward(%arg0: tensor<8x64xi32> {nf.name = "tokens"}, %arg1: tensor<8x64xi32> {nf.name = "targets"}) -> tensor<f32> {
    %0 = nf.get_param @embed.tokens : tensor<256x64xf32>
    %1 = nf.embedding %arg0, %0 : tensor<8x64xi32>, tensor<256x64xf32> -> tensor<8x64x64xf32>
    %2 = nf.get_param @embed.positions : tensor<64x64xf32>
    %3 = nf.add %1, %2 : tensor<8x64x64xf32>, tensor<64x64xf32>
    %4 = nf.get_param @embed.scale : tensor<f32>
    %5 = nf.mul %3, %4 : tensor<8x64x64xf32>, tensor<f32>
    %6 = nf.get_param @layers.0.attn.wq : tensor<64x64xf32>
    %7 = nf.linear %5, %6 : tensor<8x64x64xf32>, tensor<64x64xf32> -> tensor<8x64x64xf32>
    %8 = nf.split_heads %7 : tensor<8x64x64xf32> -> tensor<8x64x2x32xf32>
    %9 = nf.get_param @layers.0.attn.wk : tensor<64x64xf32>
    %10 = nf.linear %5, %9 : tensor<8x64x64xf32>, tensor<64x64xf32> -> tensor<8x64x64xf32>
    %11 = nf.split_heads %10 : tensor<8x64x64xf32> -> tensor<8x64x2x32xf32>
    %12 = nf.get_param @layers.0.attn.wv : tensor<64x64xf32>
    %13 = nf.linear %5, %12 : tensor<8x64x64xf32>, tensor<64x64xf32> -> tensor<8x64x64xf32>
    %14 = nf.split_heads %13 : tensor<8x64x64xf32> -> tensor<8x64x2x32xf32>
    %15 = nf.attention %8, %11, %14 : tensor<8x64x2x32xf32>
    %16 = nf.merge_heads %15 : tensor<8x64x2x32xf32> -> tensor<8x64x64xf32>
    %17 = nf.get_param @layers.0.attn.wo : tensor<64x64xf32>
    %18 = nf.linear %16, %17 : tensor<8x64x64xf32>, tensor<64x64xf32> -> tensor<8x64x64xf32>
    %19 = nf.add %5, %18 : tensor<8x64x64xf32>, tensor<8x64x64xf32>
    %20 = nf.get_param @layers.0.attn_norm.alpha : tensor<f32>
    %21 = nf.get_param @layers.0.attn_norm.shift : tensor<f32>
    %22 = nf.get_param @layers.0.attn_norm.running_rms : tensor<f32>
    %result, %new_running = nf.derf_ema %19, %20, %21, %22 momentum(0.98999999999999999) blend(1.000000e+00) : tensor<8x64x64xf32>, tensor<f32>
    nf.assign_state @layers.0.attn_norm.running_rms, %new_running : tensor<f32>
    %23 = nf.get_param @layers.0.attn_norm.scale : tensor<64xf32>
    %24 = nf.scale %result, %23 : tensor<8x64x64xf32>, tensor<64xf32>
    %25 = nf.get_param @layers.0.ffn.w_up : tensor<256x64xf32>
    %26 = nf.linear %24, %25 : tensor<8x64x64xf32>, tensor<256x64xf32> -> tensor<8x64x256xf32>
    %27 = nf.gelu %26 : tensor<8x64x256xf32>
    %28 = nf.get_param @layers.0.ffn.w_down : tensor<64x256xf32>
    %29 = nf.linear %27, %28 : tensor<8x64x256xf32>, tensor<64x256xf32> -> tensor<8x64x64xf32>
    %30 = nf.add %24, %29 : tensor<8x64x64xf32>, tensor<8x64x64xf32>
    %31 = nf.get_param @layers.0.ffn_norm.alpha : tensor<f32>
    %32 = nf.get_param @layers.0.ffn_norm.shift : tensor<f32>
    %33 = nf.get_param @layers.0.ffn_norm.running_rms : tensor<f32>
    %result_0, %new_running_1 = nf.derf_ema %30, %31, %32, %33 momentum(0.98999999999999999) blend(1.000000e+00) : tensor<8x64x64xf32>, tensor<f32>
    nf.assign_state @layers.0.ffn_norm.running_rms, %new_running_1 : tensor<f32>
    %34 = nf.get_param @layers.0.ffn_norm.scale : tensor<64xf32>
    %35 = nf.scale %result_0, %34 : tensor<8x64x64xf32>, tensor<64xf32>
    %36 = nf.get_param @layers.1.attn.wq : tensor<64x64xf32>
    %37 = nf.linear %35, %36 : tensor<8x64x64xf32>, tensor<64x64xf32> -> tensor<8x64x64xf32>
    %38 = nf.split_heads %37 : tensor<8x64x64xf32> -> tensor<8x64x2x32xf32>
    %39 = nf.get_param @layers.1.attn.wk : tensor<64x64xf32>
    %40 = nf.linear %35, %39 : tensor<8x64x64xf32>, tensor<64x64xf32> -> tensor<8x64x64xf32>
    %41 = nf.split_heads %40 : tensor<8x64x64xf32> -> tensor<8x64x2x32xf32>
    %42 = nf.get_param @layers.1.attn.wv : tensor<64x64xf32>
    %43 = nf.linear %35, %42 : tensor<8x64x64xf32>, tensor<64x64xf32> -> tensor<8x64x64xf32>
    %44 = nf.split_heads %43 : tensor<8x64x64xf32> -> tensor<8x64x2x32xf32>
    %45 = nf.attention %38, %41, %44 : tensor<8x64x2x32xf32>
    %46 = nf.merge_heads %45 : tensor<8x64x2x32xf32> -> tensor<8x64x64xf32>
    %47 = nf.get_param @layers.1.attn.wo : tensor<64x64xf32>
    %48 = nf.linear %46, %47 : tensor<8x64x64xf32>, tensor<64x64xf32> -> tensor<8x64x64xf32>
    %49 = nf.add %35, %48 : tensor<8x64x64xf32>, tensor<8x64x64xf32>
    %50 = nf.get_param @layers.1.attn_norm.alpha : tensor<f32>
    %51 = nf.get_param @layers.1.attn_norm.shift : tensor<f32>
    %52 = nf.get_param @layers.1.attn_norm.running_rms : tensor<f32>
    %result_2, %new_running_3 = nf.derf_ema %49, %50, %51, %52 momentum(0.98999999999999999) blend(1.000000e+00) : tensor<8x64x64xf32>, tensor<f32>
    nf.assign_state @layers.1.attn_norm.running_rms, %new_running_3 : tensor<f32>
    %53 = nf.get_param @layers.1.attn_norm.scale : tensor<64xf32>
    %54 = nf.scale %result_2, %53 : tensor<8x64x64xf32>, tensor<64xf32>
    %55 = nf.get_param @layers.1.ffn.w_up : tensor<256x64xf32>
    %56 = nf.linear %54, %55 : tensor<8x64x64xf32>, tensor<256x64xf32> -> tensor<8x64x256xf32>
    %57 = nf.gelu %56 : tensor<8x64x256xf32>
    %58 = nf.get_param @layers.1.ffn.w_down : tensor<64x256xf32>
    %59 = nf.linear %57, %58 : tensor<8x64x256xf32>, tensor<64x256xf32> -> tensor<8x64x64xf32>
    %60 = nf.add %54, %59 : tensor<8x64x64xf32>, tensor<8x64x64xf32>
    %61 = nf.get_param @layers.1.ffn_norm.alpha : tensor<f32>
    %62 = nf.get_param @layers.1.ffn_norm.shift : tensor<f32>
    %63 = nf.get_param @layers.1.ffn_norm.running_rms : tensor<f32>
    %result_4, %new_running_5 = nf.derf_ema %60, %61, %62, %63 momentum(0.98999999999999999) blend(1.000000e+00) : tensor<8x64x64xf32>, tensor<f32>
    nf.assign_state @layers.1.ffn_norm.running_rms, %new_running_5 : tensor<f32>
    %64 = nf.get_param @layers.1.ffn_norm.scale : tensor<64xf32>
    %65 = nf.scale %result_4, %64 : tensor<8x64x64xf32>, tensor<64xf32>
    %66 = nf.get_param @lm_head.weight : tensor<256x64xf32>
    %67 = nf.linear %65, %66 : tensor<8x64x64xf32>, tensor<256x64xf32> -> tensor<8x64x256xf32>
    %68 = nf.cross_entropy %67, %arg1 : tensor<8x64x256xf32>, tensor<8x64xi32> -> tensor<f32>
    return %68 : tensor<f32>
  }
}

